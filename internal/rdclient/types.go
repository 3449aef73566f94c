// Package rdclient is a typed client for the Alibaba Cloud Resource Directory
// (ResourceDirectoryMaster, version 2022-04-19) message-contact API. It wraps
// the alibaba-cloud-sdk-go CommonRequest with typed inputs and results, typed
// errors, retries with backoff, and pagination helpers.
package rdclient

// Product and API version of every request.
const (
	Product    = "ResourceDirectoryMaster"
	APIVersion = "2022-04-19"
)

// Default endpoints per site.
const (
	EndpointChina         = "resourcedirectory.aliyuncs.com"
	EndpointInternational = "resourcedirectory-intl.aliyuncs.com"
)

// Contact statuses reported by the API.
const (
	ContactStatusVerifying = "Verifying"
	ContactStatusActive    = "Active"
	ContactStatusDeleting  = "Deleting"
)

// Deletion statuses the provider checks: DeleteMessageContact answers
// Deleted or Deleting, GetMessageContactDeletionStatus Deleting or Failed.
const (
	DeletionStatusDeleting = "Deleting"
	DeletionStatusFailed   = "Failed"
)

// Contact is a message contact as returned by GetMessageContact and
// ListMessageContacts.
type Contact struct {
	ContactID      string   `json:"ContactId"`
	Name           string   `json:"Name"`
	EmailAddress   string   `json:"EmailAddress"`
	PhoneNumber    string   `json:"PhoneNumber"`
	Title          string   `json:"Title"`
	MessageTypes   []string `json:"MessageTypes"`
	Members        []string `json:"Members"`
	Status         string   `json:"Status"`
	CreateDate     string   `json:"CreateDate"`
	AssociatedDate string   `json:"AssociatedDate,omitempty"`
}

// AddMessageContactInput holds the parameters of AddMessageContact.
type AddMessageContactInput struct {
	Name         string
	EmailAddress string
	PhoneNumber  string // optional; empty means not sent
	Title        string
	MessageTypes []string
}

// AddMessageContactOutput is the result of AddMessageContact.
type AddMessageContactOutput struct {
	ContactID  string
	CreateDate string
}

// UpdateMessageContactInput holds the parameters of UpdateMessageContact.
// Nil pointers and a nil MessageTypes slice are not sent.
type UpdateMessageContactInput struct {
	ContactID    string
	Name         *string
	EmailAddress *string
	PhoneNumber  *string
	Title        *string
	MessageTypes []string
}

// ListMessageContactsInput holds the parameters of one ListMessageContacts page.
type ListMessageContactsInput struct {
	ContactID  string // optional
	Member     string // optional
	PageNumber int    // 0 means not sent
	PageSize   int    // 0 means not sent
}

// ListMessageContactsOutput is one page of ListMessageContacts.
type ListMessageContactsOutput struct {
	TotalCount int
	PageNumber int
	PageSize   int
	Contacts   []Contact
}

// DeletionStatus is the result of GetMessageContactDeletionStatus.
type DeletionStatus struct {
	ContactID      string
	Status         string // Deleting or Failed
	FailReasonList []DeletionFailReason
}

// DeletionFailReason names an account that still needs the contact for the
// listed message types.
type DeletionFailReason struct {
	AccountID    string   `json:"AccountId"`
	MessageTypes []string `json:"MessageTypes"`
}

// CancelMessageContactUpdateInput holds the parameters of
// CancelMessageContactUpdate: exactly one of PhoneNumber and EmailAddress.
type CancelMessageContactUpdateInput struct {
	ContactID    string
	PhoneNumber  string
	EmailAddress string
}

// ListMessageContactVerificationsInput holds the parameters of one
// ListMessageContactVerifications page.
type ListMessageContactVerificationsInput struct {
	ContactID  string // optional
	PageNumber int
	PageSize   int
}

// ContactVerification is a pending phone number or email address.
type ContactVerification struct {
	ContactID string `json:"ContactId"`
	Target    string `json:"Target"`
}

// ListMessageContactVerificationsOutput is one page of
// ListMessageContactVerifications.
type ListMessageContactVerificationsOutput struct {
	TotalCount           int
	PageNumber           int
	PageSize             int
	ContactVerifications []ContactVerification
}

// MemberBinding is one entry of AssociateMembers / DisassociateMembers results.
type MemberBinding struct {
	ContactID  string `json:"ContactId"`
	MemberID   string `json:"MemberId"`
	ModifyDate string `json:"ModifyDate"`
}

// MaxMembersPerCall is the largest Members.N batch one
// AssociateMembers/DisassociateMembers call takes.
const MaxMembersPerCall = 5
