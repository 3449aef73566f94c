package rdclient

// Placeholder: the full client (Config, New, one method per Action, retries,
// pagination) replaces this file.

import "context"

// Client is the Resource Directory API client.
type Client struct{}

func (c *Client) AddMessageContact(ctx context.Context, in AddMessageContactInput) (*AddMessageContactOutput, error) {
	panic("todo")
}
func (c *Client) UpdateMessageContact(ctx context.Context, in UpdateMessageContactInput) error {
	panic("todo")
}
func (c *Client) GetMessageContact(ctx context.Context, contactID string) (*Contact, error) {
	panic("todo")
}
func (c *Client) ListMessageContacts(ctx context.Context, in ListMessageContactsInput) (*ListMessageContactsOutput, error) {
	panic("todo")
}
func (c *Client) ListAllMessageContacts(ctx context.Context, member string) ([]Contact, error) {
	panic("todo")
}
func (c *Client) DeleteMessageContact(ctx context.Context, contactID string, retainInMembers bool) (string, error) {
	panic("todo")
}
func (c *Client) GetMessageContactDeletionStatus(ctx context.Context, contactID string) (*DeletionStatus, error) {
	panic("todo")
}
func (c *Client) CancelMessageContactUpdate(ctx context.Context, in CancelMessageContactUpdateInput) error {
	panic("todo")
}
func (c *Client) ListMessageContactVerifications(ctx context.Context, in ListMessageContactVerificationsInput) (*ListMessageContactVerificationsOutput, error) {
	panic("todo")
}
func (c *Client) ListAllMessageContactVerifications(ctx context.Context, contactID string) ([]ContactVerification, error) {
	panic("todo")
}
func (c *Client) SendEmailVerificationForMessageContact(ctx context.Context, contactID, emailAddress string) error {
	panic("todo")
}
func (c *Client) SendPhoneVerificationForMessageContact(ctx context.Context, contactID, phoneNumber string) error {
	panic("todo")
}
func (c *Client) AssociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error) {
	panic("todo")
}
func (c *Client) DisassociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error) {
	panic("todo")
}
