package rdclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Action names.
const (
	ActionAddMessageContact                      = "AddMessageContact"
	ActionUpdateMessageContact                   = "UpdateMessageContact"
	ActionGetMessageContact                      = "GetMessageContact"
	ActionListMessageContacts                    = "ListMessageContacts"
	ActionDeleteMessageContact                   = "DeleteMessageContact"
	ActionGetMessageContactDeletionStatus        = "GetMessageContactDeletionStatus"
	ActionCancelMessageContactUpdate             = "CancelMessageContactUpdate"
	ActionListMessageContactVerifications        = "ListMessageContactVerifications"
	ActionSendEmailVerificationForMessageContact = "SendEmailVerificationForMessageContact"
	ActionSendPhoneVerificationForMessageContact = "SendPhoneVerificationForMessageContact"
	ActionAssociateMembers                       = "AssociateMembers"
	ActionDisassociateMembers                    = "DisassociateMembers"
)

// WriteActions are the actions that change the directory (sending a
// verification message counts: it changes what the owner can verify).
var WriteActions = []string{
	ActionAddMessageContact, ActionUpdateMessageContact, ActionDeleteMessageContact, ActionCancelMessageContactUpdate,
	ActionAssociateMembers, ActionDisassociateMembers,
	ActionSendEmailVerificationForMessageContact, ActionSendPhoneVerificationForMessageContact,
}

// AddMessageContact creates a contact.
func (c *Client) AddMessageContact(ctx context.Context, in AddMessageContactInput) (*AddMessageContactOutput, error) {
	p := params{}
	p.set("Name", in.Name)
	p.set("EmailAddress", in.EmailAddress)
	p.setIfNotEmpty("PhoneNumber", in.PhoneNumber)
	p.set("Title", in.Title)
	p.setList("MessageTypes", in.MessageTypes)
	var out struct {
		Contact *struct {
			ContactID  string `json:"ContactId"`
			CreateDate string `json:"CreateDate"`
		} `json:"Contact"`
	}
	if err := c.do(ctx, ActionAddMessageContact, p, &out); err != nil {
		return nil, err
	}
	if out.Contact == nil || out.Contact.ContactID == "" {
		return nil, fmt.Errorf("%s: response has no Contact.ContactId", ActionAddMessageContact)
	}
	return &AddMessageContactOutput{ContactID: out.Contact.ContactID, CreateDate: out.Contact.CreateDate}, nil
}

// UpdateMessageContact changes the given fields of a contact. A changed
// phone number or email address stays pending until its owner verifies it.
func (c *Client) UpdateMessageContact(ctx context.Context, in UpdateMessageContactInput) error {
	if err := requireContactID(ActionUpdateMessageContact, in.ContactID); err != nil {
		return err
	}
	p := params{}
	p.set("ContactId", in.ContactID)
	if in.Name != nil {
		p.set("Name", *in.Name)
	}
	if in.EmailAddress != nil {
		p.set("EmailAddress", *in.EmailAddress)
	}
	if in.PhoneNumber != nil {
		p.set("PhoneNumber", *in.PhoneNumber)
	}
	if in.Title != nil {
		p.set("Title", *in.Title)
	}
	p.setList("MessageTypes", in.MessageTypes)
	return c.do(ctx, ActionUpdateMessageContact, p, nil)
}

// GetMessageContact reads one contact.
func (c *Client) GetMessageContact(ctx context.Context, contactID string) (*Contact, error) {
	if err := requireContactID(ActionGetMessageContact, contactID); err != nil {
		return nil, err
	}
	p := params{}
	p.set("ContactId", contactID)
	var out struct {
		Contact *wireContact `json:"Contact"`
	}
	if err := c.do(ctx, ActionGetMessageContact, p, &out); err != nil {
		return nil, err
	}
	if out.Contact == nil {
		return nil, fmt.Errorf("%s: response has no Contact", ActionGetMessageContact)
	}
	contact := out.Contact.toContact()
	return &contact, nil
}

// ListMessageContacts reads one page of contacts.
func (c *Client) ListMessageContacts(ctx context.Context, in ListMessageContactsInput) (*ListMessageContactsOutput, error) {
	p := params{}
	p.setIfNotEmpty("ContactId", in.ContactID)
	p.setIfNotEmpty("Member", in.Member)
	p.setInt("PageNumber", in.PageNumber)
	p.setInt("PageSize", in.PageSize)
	var out struct {
		TotalCount flexInt               `json:"TotalCount"`
		PageNumber flexInt               `json:"PageNumber"`
		PageSize   flexInt               `json:"PageSize"`
		Contacts   wireList[wireContact] `json:"Contacts"`
	}
	if err := c.do(ctx, ActionListMessageContacts, p, &out); err != nil {
		return nil, err
	}
	res := &ListMessageContactsOutput{
		TotalCount: int(out.TotalCount),
		PageNumber: int(out.PageNumber),
		PageSize:   int(out.PageSize),
		Contacts:   make([]Contact, 0, len(out.Contacts)),
	}
	for _, wc := range out.Contacts {
		res.Contacts = append(res.Contacts, wc.toContact())
	}
	return res, nil
}

// ListAllMessageContacts walks every page of ListMessageContacts, optionally
// filtered by member.
func (c *Client) ListAllMessageContacts(ctx context.Context, member string) ([]Contact, error) {
	return listAll(c, ActionListMessageContacts, func(page int) ([]Contact, int, int, error) {
		out, err := c.ListMessageContacts(ctx, ListMessageContactsInput{Member: member, PageNumber: page, PageSize: c.cfg.PageSize})
		if err != nil {
			return nil, 0, 0, err
		}
		return out.Contacts, out.TotalCount, out.PageSize, nil
	})
}

// DeleteMessageContact deletes a contact and returns the Status of the
// response: Deleted, or Deleting when retainInMembers is false.
func (c *Client) DeleteMessageContact(ctx context.Context, contactID string, retainInMembers bool) (string, error) {
	if err := requireContactID(ActionDeleteMessageContact, contactID); err != nil {
		return "", err
	}
	p := params{}
	p.set("ContactId", contactID)
	p.set("RetainContactInMembers", strconv.FormatBool(retainInMembers))
	var out struct {
		Status  string `json:"Status"`
		Contact *struct {
			Status string `json:"Status"`
		} `json:"Contact"`
	}
	if err := c.do(ctx, ActionDeleteMessageContact, p, &out); err != nil {
		return "", err
	}
	if out.Status == "" && out.Contact != nil {
		return out.Contact.Status, nil
	}
	return out.Status, nil
}

// GetMessageContactDeletionStatus reads the progress of an asynchronous
// deletion. Once the deletion finished the contact is gone and the call
// fails with EntityNotExists.Contact (see IsNotFound).
func (c *Client) GetMessageContactDeletionStatus(ctx context.Context, contactID string) (*DeletionStatus, error) {
	if err := requireContactID(ActionGetMessageContactDeletionStatus, contactID); err != nil {
		return nil, err
	}
	p := params{}
	p.set("ContactId", contactID)
	var out struct {
		ContactDeletionStatus *struct {
			ContactID      string                   `json:"ContactId"`
			Status         string                   `json:"Status"`
			FailReasonList wireList[wireFailReason] `json:"FailReasonList"`
		} `json:"ContactDeletionStatus"`
	}
	if err := c.do(ctx, ActionGetMessageContactDeletionStatus, p, &out); err != nil {
		return nil, err
	}
	if out.ContactDeletionStatus == nil {
		return nil, fmt.Errorf("%s: response has no ContactDeletionStatus", ActionGetMessageContactDeletionStatus)
	}
	ds := &DeletionStatus{
		ContactID: out.ContactDeletionStatus.ContactID,
		Status:    out.ContactDeletionStatus.Status,
	}
	for _, r := range out.ContactDeletionStatus.FailReasonList {
		ds.FailReasonList = append(ds.FailReasonList, DeletionFailReason{AccountID: r.AccountID, MessageTypes: []string(r.MessageTypes)})
	}
	return ds, nil
}

// CancelMessageContactUpdate withdraws a pending phone number or email
// address; exactly one of them must be set.
func (c *Client) CancelMessageContactUpdate(ctx context.Context, in CancelMessageContactUpdateInput) error {
	if err := requireContactID(ActionCancelMessageContactUpdate, in.ContactID); err != nil {
		return err
	}
	if (in.PhoneNumber == "") == (in.EmailAddress == "") {
		return fmt.Errorf("%s: exactly one of PhoneNumber and EmailAddress must be set", ActionCancelMessageContactUpdate)
	}
	p := params{}
	p.set("ContactId", in.ContactID)
	p.setIfNotEmpty("PhoneNumber", in.PhoneNumber)
	p.setIfNotEmpty("EmailAddress", in.EmailAddress)
	return c.do(ctx, ActionCancelMessageContactUpdate, p, nil)
}

// ListMessageContactVerifications reads one page of pending phone numbers
// and email addresses.
func (c *Client) ListMessageContactVerifications(ctx context.Context, in ListMessageContactVerificationsInput) (*ListMessageContactVerificationsOutput, error) {
	p := params{}
	p.setIfNotEmpty("ContactId", in.ContactID)
	p.setInt("PageNumber", in.PageNumber)
	p.setInt("PageSize", in.PageSize)
	var out struct {
		TotalCount           flexInt                       `json:"TotalCount"`
		PageNumber           flexInt                       `json:"PageNumber"`
		PageSize             flexInt                       `json:"PageSize"`
		ContactVerifications wireList[ContactVerification] `json:"ContactVerifications"`
	}
	if err := c.do(ctx, ActionListMessageContactVerifications, p, &out); err != nil {
		return nil, err
	}
	res := &ListMessageContactVerificationsOutput{
		TotalCount:           int(out.TotalCount),
		PageNumber:           int(out.PageNumber),
		PageSize:             int(out.PageSize),
		ContactVerifications: append([]ContactVerification{}, out.ContactVerifications...),
	}
	return res, nil
}

// ListAllMessageContactVerifications walks every page of
// ListMessageContactVerifications; contactID may be empty for all contacts.
func (c *Client) ListAllMessageContactVerifications(ctx context.Context, contactID string) ([]ContactVerification, error) {
	return listAll(c, ActionListMessageContactVerifications, func(page int) ([]ContactVerification, int, int, error) {
		out, err := c.ListMessageContactVerifications(ctx, ListMessageContactVerificationsInput{ContactID: contactID, PageNumber: page, PageSize: c.cfg.PageSize})
		if err != nil {
			return nil, 0, 0, err
		}
		return out.ContactVerifications, out.TotalCount, out.PageSize, nil
	})
}

// SendEmailVerificationForMessageContact sends the verification message for
// a pending email address.
func (c *Client) SendEmailVerificationForMessageContact(ctx context.Context, contactID, emailAddress string) error {
	if err := requireContactID(ActionSendEmailVerificationForMessageContact, contactID); err != nil {
		return err
	}
	p := params{}
	p.set("ContactId", contactID)
	p.set("EmailAddress", emailAddress)
	return c.do(ctx, ActionSendEmailVerificationForMessageContact, p, nil)
}

// SendPhoneVerificationForMessageContact sends the verification message for
// a pending phone number.
func (c *Client) SendPhoneVerificationForMessageContact(ctx context.Context, contactID, phoneNumber string) error {
	if err := requireContactID(ActionSendPhoneVerificationForMessageContact, contactID); err != nil {
		return err
	}
	p := params{}
	p.set("ContactId", contactID)
	p.set("PhoneNumber", phoneNumber)
	return c.do(ctx, ActionSendPhoneVerificationForMessageContact, p, nil)
}

// AssociateMembers binds up to MaxMembersPerCall members to a contact.
func (c *Client) AssociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error) {
	return c.memberCall(ctx, ActionAssociateMembers, contactID, members)
}

// DisassociateMembers unbinds up to MaxMembersPerCall members from a contact.
func (c *Client) DisassociateMembers(ctx context.Context, contactID string, members []string) ([]MemberBinding, error) {
	return c.memberCall(ctx, ActionDisassociateMembers, contactID, members)
}

func (c *Client) memberCall(ctx context.Context, action, contactID string, members []string) ([]MemberBinding, error) {
	if err := requireContactID(action, contactID); err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("%s: no members given", action)
	}
	if len(members) > MaxMembersPerCall {
		return nil, fmt.Errorf("%s: %d members given, at most %d per call", action, len(members), MaxMembersPerCall)
	}
	p := params{}
	p.set("ContactId", contactID)
	p.setList("Members", members)
	var out struct {
		Members wireList[MemberBinding] `json:"Members"`
	}
	if err := c.do(ctx, action, p, &out); err != nil {
		return nil, err
	}
	return append([]MemberBinding{}, out.Members...), nil
}

func requireContactID(action, contactID string) error {
	if strings.TrimSpace(contactID) == "" {
		return fmt.Errorf("%s: contact ID is empty", action)
	}
	return nil
}

// do calls action and decodes the JSON body into out (when not nil).
func (c *Client) do(ctx context.Context, action string, p params, out any) error {
	body, err := c.call(ctx, action, p)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%s: empty response body", action)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: decoding response (RequestId: %s): %w", action, requestIDOf(body), err)
	}
	return nil
}

// listAll calls fetch with PageNumber 1, 2, ... and collects the items until
// their count reaches TotalCount or a page is empty. It never assumes the
// server used the requested page size: a server may cap it.
// fetch returns the page's items, the reported TotalCount and the reported
// PageSize.
func listAll[T any](c *Client, action string, fetch func(page int) (items []T, total, pageSize int, err error)) ([]T, error) {
	all := []T{}
	for page := 1; page <= maxPages; page++ {
		items, total, pageSize, err := fetch(page)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return all, nil
		}
		all = append(all, items...)
		if total > 0 {
			if len(all) >= total {
				return all, nil
			}
			continue
		}
		// No TotalCount reported: a short page is the last one.
		limit := c.cfg.PageSize
		if pageSize > 0 && pageSize < limit {
			limit = pageSize
		}
		if len(items) < limit {
			return all, nil
		}
	}
	return nil, fmt.Errorf("%s: pagination did not finish after %d pages", action, maxPages)
}

// flexInt decodes a JSON number or a string holding one; null and "" are 0.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" || s == `""` {
		*f = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = strings.TrimSpace(str)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		fl, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return fmt.Errorf("not an integer: %s", truncate(string(b), 40))
		}
		n = int(fl)
	}
	*f = flexInt(n)
	return nil
}

// wireList decodes a JSON array, or the XML-style wrapper object some
// Alibaba Cloud APIs use ({"Item": [...]}) holding exactly one array, or null.
type wireList[T any] []T

func (l *wireList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*l = nil
		return nil
	}
	if b[0] == '[' {
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*l = items
		return nil
	}
	if b[0] == '{' {
		var wrapper map[string]json.RawMessage
		if err := json.Unmarshal(b, &wrapper); err != nil {
			return err
		}
		if len(wrapper) == 0 {
			*l = nil
			return nil
		}
		if len(wrapper) == 1 {
			for _, raw := range wrapper {
				var items []T
				if err := json.Unmarshal(raw, &items); err != nil {
					return err
				}
				*l = items
				return nil
			}
		}
	}
	return errors.New("expected a JSON array")
}

type wireContact struct {
	ContactID      string           `json:"ContactId"`
	Name           string           `json:"Name"`
	EmailAddress   string           `json:"EmailAddress"`
	PhoneNumber    string           `json:"PhoneNumber"`
	Title          string           `json:"Title"`
	MessageTypes   wireList[string] `json:"MessageTypes"`
	Members        wireList[string] `json:"Members"`
	Status         string           `json:"Status"`
	CreateDate     string           `json:"CreateDate"`
	AssociatedDate string           `json:"AssociatedDate"`
}

func (w wireContact) toContact() Contact {
	return Contact{
		ContactID:      w.ContactID,
		Name:           w.Name,
		EmailAddress:   w.EmailAddress,
		PhoneNumber:    w.PhoneNumber,
		Title:          w.Title,
		MessageTypes:   nonNil([]string(w.MessageTypes)),
		Members:        nonNil([]string(w.Members)),
		Status:         w.Status,
		CreateDate:     w.CreateDate,
		AssociatedDate: w.AssociatedDate,
	}
}

type wireFailReason struct {
	AccountID    string           `json:"AccountId"`
	MessageTypes wireList[string] `json:"MessageTypes"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
