package rdclient

import "context"

// API is the set of operations the provider uses. *Client implements it.
type API interface {
	AddMessageContact(ctx context.Context, in AddMessageContactInput) (*AddMessageContactOutput, error)
	UpdateMessageContact(ctx context.Context, in UpdateMessageContactInput) error
	GetMessageContact(ctx context.Context, contactID string) (*Contact, error)
	ListMessageContacts(ctx context.Context, in ListMessageContactsInput) (*ListMessageContactsOutput, error)
	// ListAllMessageContacts walks every page (optionally filtered by member).
	ListAllMessageContacts(ctx context.Context, member string) ([]Contact, error)
	// DeleteMessageContact returns the Status in the response (Deleted or Deleting).
	DeleteMessageContact(ctx context.Context, contactID string, retainInMembers bool) (string, error)
	GetMessageContactDeletionStatus(ctx context.Context, contactID string) (*DeletionStatus, error)
	CancelMessageContactUpdate(ctx context.Context, in CancelMessageContactUpdateInput) error
	ListMessageContactVerifications(ctx context.Context, in ListMessageContactVerificationsInput) (*ListMessageContactVerificationsOutput, error)
	// ListAllMessageContactVerifications walks every page; contactID may be empty for all contacts.
	ListAllMessageContactVerifications(ctx context.Context, contactID string) ([]ContactVerification, error)
	SendEmailVerificationForMessageContact(ctx context.Context, contactID, emailAddress string) error
	SendPhoneVerificationForMessageContact(ctx context.Context, contactID, phoneNumber string) error
	// AssociateMembers binds members; callers pass at most MaxMembersPerCall.
	AssociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error)
	// DisassociateMembers unbinds members; callers pass at most MaxMembersPerCall.
	DisassociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error)
}

var _ API = (*Client)(nil)
