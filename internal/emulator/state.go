package emulator

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Contact statuses.
const (
	StatusVerifying = "Verifying"
	StatusActive    = "Active"
	StatusDeleting  = "Deleting"
)

// Deletion statuses.
const (
	DeletionDeleted  = "Deleted"
	DeletionDeleting = "Deleting"
	DeletionFailed   = "Failed"
)

type member struct {
	id   string
	date string // when it was bound
}

type contact struct {
	id         string
	name       string
	createDate string
	title      string
	types      []string
	members    []member

	// Effective (verified) values.
	email string
	phone string
	// Pending values; "" when nothing is pending.
	pendingEmail string
	pendingPhone string

	// Asynchronous deletion. While deleting, the pending records are set
	// aside (not visible, not verifiable); they come back if the deletion
	// fails and vanish with the contact when it succeeds.
	deleting       bool
	deleteDeadline time.Time
	deletePolls    int // deletion-status calls since the deletion started
	stashEmail     string
	stashPhone     string
	// deletion is the last asynchronous deletion's outcome (Deleting or
	// Failed), nil when none was requested.
	deletionStatus string
	failReasons    []FailReason
}

func (c *contact) status() string {
	switch {
	case c.deleting:
		return StatusDeleting
	case c.pendingEmail != "" || c.pendingPhone != "":
		return StatusVerifying
	default:
		return StatusActive
	}
}

// shownEmail and shownPhone are what Get/List report in a read mode.
func (c *contact) shownEmail(mode string) string {
	if mode == ReadModeRequested && c.pendingEmail != "" {
		return c.pendingEmail
	}
	return c.email
}

func (c *contact) shownPhone(mode string) string {
	if mode == ReadModeRequested && c.pendingPhone != "" {
		return c.pendingPhone
	}
	return c.phone
}

func (c *contact) memberIDs() []string {
	out := make([]string, len(c.members))
	for i, m := range c.members {
		out[i] = m.id
	}
	return out
}

func (c *contact) snapshot() ContactSnapshot {
	return ContactSnapshot{
		ContactID:           c.id,
		Name:                c.name,
		EmailAddress:        c.email,
		PhoneNumber:         c.phone,
		PendingEmailAddress: c.pendingEmail,
		PendingPhoneNumber:  c.pendingPhone,
		Title:               c.title,
		MessageTypes:        slices.Clone(c.types),
		Members:             c.memberIDs(),
		Status:              c.status(),
		CreateDate:          c.createDate,
	}
}

// startDeletion moves c to Deleting; e.mu must be held.
func (e *Emulator) startDeletion(c *contact, now time.Time) {
	c.deleting = true
	c.deleteDeadline = now.Add(e.cfg.DeleteDelay)
	c.deletePolls = 0
	c.stashEmail, c.stashPhone = c.pendingEmail, c.pendingPhone
	c.pendingEmail, c.pendingPhone = "", ""
	c.deletionStatus = DeletionDeleting
	c.failReasons = nil
	e.deleting++
}

// settleDeletions finishes the asynchronous deletions whose deadline has
// passed; e.mu must be held. It runs lazily at every entry point, so no
// goroutine is needed and a fake clock drives it. With
// Config.DeleteAfterPolls set, deletions end by polls instead (see
// pollDeletion) and the clock settles nothing.
func (e *Emulator) settleDeletions(now time.Time) {
	if e.deleting == 0 || e.cfg.DeleteAfterPolls > 0 {
		return
	}
	for _, c := range e.contacts {
		if c.deleting && !now.Before(c.deleteDeadline) {
			e.settleDeletion(c)
		}
	}
}

// pollDeletion counts a deletion-status call on c and, with
// Config.DeleteAfterPolls set, ends its deletion at the configured poll;
// e.mu must be held.
func (e *Emulator) pollDeletion(c *contact) {
	if !c.deleting || e.cfg.DeleteAfterPolls <= 0 {
		return
	}
	c.deletePolls++
	if c.deletePolls >= e.cfg.DeleteAfterPolls {
		e.settleDeletion(c)
	}
}

// settleDeletion ends the asynchronous deletion of c: the contact is
// removed, or, when FailNextDeletion asked for it, returns to its previous
// status with its pending records and the deletion reads Failed; e.mu must
// be held.
func (e *Emulator) settleDeletion(c *contact) {
	e.deleting--
	c.deleting = false
	if reasons, ok := e.failNext[c.id]; ok {
		delete(e.failNext, c.id)
		c.pendingEmail, c.pendingPhone = c.stashEmail, c.stashPhone
		c.stashEmail, c.stashPhone = "", ""
		c.deletionStatus = DeletionFailed
		c.failReasons = reasons
		return
	}
	delete(e.contacts, c.id)
}

// removeContact deletes c at once; e.mu must be held.
func (e *Emulator) removeContact(c *contact) {
	if c.deleting {
		e.deleting--
	}
	delete(e.contacts, c.id)
	delete(e.failNext, c.id)
}

func (e *Emulator) nameUsed(name, exceptID string) bool {
	for id, c := range e.contacts {
		if id != exceptID && c.name == name {
			return true
		}
	}
	return false
}

// ErrNotFound is returned by the test hooks for an unknown contact.
var ErrNotFound = errors.New("emulator: contact not found")

// ErrNothingPending is returned by Verify and CancelPending when the target
// is not pending for the contact.
var ErrNothingPending = errors.New("emulator: nothing pending for that target")

// SeedContacts loads contacts that start Active with nothing pending. A
// contact without ContactID gets a derived one. Every field is checked with
// the API's rules; on error nothing is loaded.
func (e *Emulator) SeedContacts(cs []SeedContact) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.settleDeletions(now)
	names := make(map[string]bool)
	ids := make(map[string]bool)
	for i, s := range cs {
		if s.ContactID != "" {
			if !validContactID(s.ContactID) {
				return fmt.Errorf("seed contact %d: invalid ContactId %q", i, s.ContactID)
			}
			if ids[s.ContactID] || e.contacts[s.ContactID] != nil {
				return fmt.Errorf("seed contact %d: duplicate ContactId %q", i, s.ContactID)
			}
			ids[s.ContactID] = true
		}
		if err := checkName(s.Name); err != nil {
			return fmt.Errorf("seed contact %d: %s: %q", i, err.code, s.Name)
		}
		if names[s.Name] || e.nameUsed(s.Name, "") {
			return fmt.Errorf("seed contact %d: Name %q already used", i, s.Name)
		}
		names[s.Name] = true
		if err := checkEmail(s.EmailAddress); err != nil {
			return fmt.Errorf("seed contact %d: %s: %q", i, err.code, s.EmailAddress)
		}
		if s.PhoneNumber != "" {
			if err := checkPhone(e.cfg.Site, s.PhoneNumber); err != nil {
				return fmt.Errorf("seed contact %d: %s: %q", i, err.code, s.PhoneNumber)
			}
		}
		if err := checkTitle(s.Title); err != nil {
			return fmt.Errorf("seed contact %d: %s: %q", i, err.code, s.Title)
		}
		if len(s.MessageTypes) == 0 {
			return fmt.Errorf("seed contact %d: MessageTypes must not be empty", i)
		}
		if _, err := checkMessageTypes(s.MessageTypes); err != nil {
			return fmt.Errorf("seed contact %d: %s: %q", i, err.code, s.MessageTypes)
		}
		if len(s.Members) > MaxMembersPerContact {
			return fmt.Errorf("seed contact %d: more than %d members", i, MaxMembersPerContact)
		}
		for _, m := range s.Members {
			if !validMemberID(m) {
				return fmt.Errorf("seed contact %d: invalid member %q", i, m)
			}
		}
	}
	if len(e.contacts)+len(cs) > e.cfg.MaxContacts {
		return fmt.Errorf("seeding %d contacts exceeds MaxContacts %d", len(cs), e.cfg.MaxContacts)
	}
	date := e.date(now)
	for _, s := range cs {
		id := s.ContactID
		if id == "" {
			id = e.newContactID(s.Name)
		}
		e.usedIDs[id] = true
		types, _ := checkMessageTypes(s.MessageTypes)
		c := &contact{
			id:         id,
			name:       s.Name,
			createDate: date,
			title:      s.Title,
			types:      types,
			email:      s.EmailAddress,
			phone:      s.PhoneNumber,
		}
		for _, m := range s.Members {
			if !slices.ContainsFunc(c.members, func(x member) bool { return x.id == m }) {
				c.members = append(c.members, member{id: m, date: date})
			}
		}
		e.contacts[id] = c
	}
	return nil
}

// findPending returns the contact and which kind of pending record target
// is; e.mu must be held.
func (e *Emulator) findPending(contactID, target string) (*contact, bool, error) {
	c := e.contacts[contactID]
	if c == nil {
		return nil, false, ErrNotFound
	}
	switch {
	case target != "" && c.pendingEmail == target:
		return c, true, nil
	case target != "" && c.pendingPhone == target:
		return c, false, nil
	}
	return c, false, ErrNothingPending
}

// Verify completes a pending verification, as if the owner of target clicked
// the link or typed the code: the value becomes effective, and the contact
// becomes Active when nothing else is pending.
func (e *Emulator) Verify(contactID, target string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	c, isEmail, err := e.findPending(contactID, target)
	if err != nil {
		return err
	}
	if isEmail {
		c.email, c.pendingEmail = c.pendingEmail, ""
	} else {
		c.phone, c.pendingPhone = c.pendingPhone, ""
	}
	return nil
}

// RequestChange requests a new phone number or email address for a contact
// outside the API's caller, as the console or another tool would: target
// (an email address when it contains "@", else a phone number) becomes the
// pending value of its kind, replacing any earlier one. Nothing is sent.
func (e *Emulator) RequestChange(contactID, target string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	c := e.contacts[contactID]
	if c == nil {
		return ErrNotFound
	}
	if strings.Contains(target, "@") {
		c.pendingEmail = target
	} else {
		c.pendingPhone = target
	}
	return nil
}

// ErrSendLimit is returned by SendMessages when a send limit refuses a
// message.
var ErrSendLimit = errors.New("emulator: verification message limit reached")

// SendMessages sends n verification messages to target outside the API's
// caller, as the console or another tool would: they count towards the send
// limits (100 a day for the account, 10 a minute to one address) as the
// Send*Verification calls do, whether or not anything is pending for target.
// It stops at the first message a limit refuses, with ErrSendLimit.
func (e *Emulator) SendMessages(target string, n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	for range n {
		if aerr := e.consumeSend(target, now); aerr != nil {
			return fmt.Errorf("%w: %s", ErrSendLimit, aerr.msg)
		}
	}
	return nil
}

// CancelPending withdraws a pending change outside the API, as if another
// tool had cancelled it.
func (e *Emulator) CancelPending(contactID, target string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	c, isEmail, err := e.findPending(contactID, target)
	if err != nil {
		return err
	}
	if isEmail {
		c.pendingEmail = ""
	} else {
		c.pendingPhone = ""
	}
	return nil
}

// DeleteContact deletes a contact outside the API, immediately.
func (e *Emulator) DeleteContact(contactID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	c := e.contacts[contactID]
	if c == nil {
		return ErrNotFound
	}
	e.removeContact(c)
	return nil
}

// FailNextDeletion makes the next asynchronous deletion of contactID end
// Failed with reasons when its delay has passed (or at the poll set by
// Config.DeleteAfterPolls); the contact then returns to its previous status
// with its pending records.
func (e *Emulator) FailNextDeletion(contactID string, reasons []FailReason) {
	cp := make([]FailReason, len(reasons))
	for i, r := range reasons {
		cp[i] = FailReason{AccountID: r.AccountID, MessageTypes: slices.Clone(r.MessageTypes)}
	}
	e.mu.Lock()
	e.failNext[contactID] = cp
	e.mu.Unlock()
}

// Contact returns a copy of a contact's stored state.
func (e *Emulator) Contact(id string) (ContactSnapshot, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	c := e.contacts[id]
	if c == nil {
		return ContactSnapshot{}, false
	}
	return c.snapshot(), true
}

// Contacts returns copies of all contacts, sorted by ContactID.
func (e *Emulator) Contacts() []ContactSnapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleDeletions(e.now())
	out := make([]ContactSnapshot, 0, len(e.contacts))
	for _, c := range e.contacts {
		out = append(out, c.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ContactID < out[j].ContactID })
	return out
}

// sortedContacts returns the contacts sorted by ID; e.mu must be held.
func (e *Emulator) sortedContacts() []*contact {
	out := make([]*contact, 0, len(e.contacts))
	for _, c := range e.contacts {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
