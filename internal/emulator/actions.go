package emulator

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// handler serves one Action; e.mu is held.
type handler func(e *Emulator, r *apiRequest) (any, *apiError)

// actions are the Actions of internal/emulator/README.md "Actions".
var actions = map[string]handler{
	"AddMessageContact":                      (*Emulator).addMessageContact,
	"UpdateMessageContact":                   (*Emulator).updateMessageContact,
	"GetMessageContact":                      (*Emulator).getMessageContact,
	"ListMessageContacts":                    (*Emulator).listMessageContacts,
	"DeleteMessageContact":                   (*Emulator).deleteMessageContact,
	"GetMessageContactDeletionStatus":        (*Emulator).getMessageContactDeletionStatus,
	"CancelMessageContactUpdate":             (*Emulator).cancelMessageContactUpdate,
	"ListMessageContactVerifications":        (*Emulator).listMessageContactVerifications,
	"SendEmailVerificationForMessageContact": (*Emulator).sendEmailVerification,
	"SendPhoneVerificationForMessageContact": (*Emulator).sendPhoneVerification,
	"AssociateMembers":                       (*Emulator).associateMembers,
	"DisassociateMembers":                    (*Emulator).disassociateMembers,
}

// Actions returns the names of the Actions the emulator serves, sorted.
func Actions() []string {
	out := make([]string, 0, len(actions))
	for a := range actions {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Response shapes.

type onlyRequestID struct {
	RequestID string `json:"RequestId"`
}

type contactJSON struct {
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

type memberJSON struct {
	ContactID  string `json:"ContactId"`
	MemberID   string `json:"MemberId"`
	ModifyDate string `json:"ModifyDate"`
}

type membersResponse struct {
	RequestID string       `json:"RequestId"`
	Members   []memberJSON `json:"Members"`
}

type verificationJSON struct {
	ContactID string `json:"ContactId"`
	Target    string `json:"Target"`
}

type failReasonJSON struct {
	AccountID    string   `json:"AccountId"`
	MessageTypes []string `json:"MessageTypes"`
}

func (e *Emulator) view(c *contact) contactJSON {
	types := slices.Clone(c.types)
	if types == nil {
		types = []string{}
	}
	return contactJSON{
		ContactID:    c.id,
		Name:         c.name,
		EmailAddress: c.shownEmail(e.cfg.ReadMode),
		PhoneNumber:  c.shownPhone(e.cfg.ReadMode),
		Title:        c.title,
		MessageTypes: types,
		Members:      c.memberIDs(),
		Status:       c.status(),
		CreateDate:   c.createDate,
	}
}

// date formats the date stored for a change made at now: Config.DateNow
// when set, else now.
func (e *Emulator) date(now time.Time) string {
	if e.cfg.DateNow != nil {
		now = e.cfg.DateNow()
	}
	return now.UTC().Format(dateLayout)
}

// Parameter helpers.

// contactID reads the required ContactId.
func (r *apiRequest) contactID() (string, *apiError) {
	id := r.get("ContactId")
	if id == "" {
		return "", errMissing("ContactId")
	}
	if !validContactID(id) {
		return "", errInvalid("ContactId")
	}
	return id, nil
}

// indexed reads a flattened array Name.1, Name.2, … in index order. ok is
// false when a Name.X key has an index that is not a positive integer.
func (r *apiRequest) indexed(name string) (values []string, ok bool) {
	type item struct {
		n int
		v string
	}
	var items []item
	prefix := name + "."
	for k, v := range r.params {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		s := k[len(prefix):]
		if !allDigits(s) || s[0] == '0' || len(s) > 6 {
			return nil, false
		}
		n, _ := strconv.Atoi(s)
		items = append(items, item{n, v})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].n < items[j].n })
	for _, it := range items {
		values = append(values, it.v)
	}
	return values, true
}

// page reads PageNumber and PageSize and returns the page bounds over total
// items, applying Config.PageSizeCap.
func (e *Emulator) page(r *apiRequest) (number, size int, aerr *apiError) {
	number, size = 1, DefaultPageSize
	if s := r.get("PageNumber"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, errInvalid("PageNumber")
		}
		number = n
	}
	if s := r.get("PageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, 0, errInvalid("PageSize")
		}
		size = n
	}
	if e.cfg.PageSizeCap > 0 && size > e.cfg.PageSizeCap {
		size = e.cfg.PageSizeCap
	}
	return number, size, nil
}

// pageBounds returns the [start, end) slice bounds of page number of size
// over total items.
func pageBounds(number, size, total int) (int, int) {
	if number-1 > total/size {
		return total, total
	}
	start := (number - 1) * size
	if start > total {
		start = total
	}
	return start, min(start+size, total)
}

func (e *Emulator) lookup(id string) (*contact, *apiError) {
	c := e.contacts[id]
	if c == nil {
		return nil, errContactNotFound()
	}
	return c, nil
}

// Actions.

func (e *Emulator) addMessageContact(r *apiRequest) (any, *apiError) {
	name, email, phone, title := r.get("Name"), r.get("EmailAddress"), r.get("PhoneNumber"), r.get("Title")
	types, ok := r.indexed("MessageTypes")
	switch {
	case name == "":
		return nil, errMissing("Name")
	case email == "":
		return nil, errMissing("EmailAddress")
	case title == "":
		return nil, errMissing("Title")
	case !ok:
		return nil, errInvalid("MessageTypes")
	case len(types) == 0:
		return nil, errMissing("MessageTypes")
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if err := checkEmail(email); err != nil {
		return nil, err
	}
	if phone != "" {
		if err := checkPhone(e.cfg.Site, phone); err != nil {
			return nil, err
		}
	}
	if err := checkTitle(title); err != nil {
		return nil, err
	}
	types, err := checkMessageTypes(types)
	if err != nil {
		return nil, err
	}
	if e.nameUsed(name, "") {
		return nil, &apiError{status: http.StatusBadRequest, code: "InvalidParameter.Name.AlreadyUsed", msg: "The Name is already used."}
	}
	if len(e.contacts) >= e.cfg.MaxContacts {
		return nil, &apiError{status: http.StatusBadRequest, code: "QuotaExceeded.Contacts", msg: "The number of contacts exceeds the upper limit."}
	}
	c := &contact{
		id:           e.newContactID(name),
		name:         name,
		createDate:   e.date(r.now),
		title:        title,
		types:        types,
		pendingEmail: email,
		pendingPhone: phone,
	}
	e.contacts[c.id] = c
	type contactRef struct {
		ContactID  string `json:"ContactId"`
		CreateDate string `json:"CreateDate"`
	}
	return struct {
		RequestID string     `json:"RequestId"`
		Contact   contactRef `json:"Contact"`
	}{r.requestID, contactRef{c.id, c.createDate}}, nil
}

func (e *Emulator) updateMessageContact(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	name, email, phone, title := r.get("Name"), r.get("EmailAddress"), r.get("PhoneNumber"), r.get("Title")
	types, ok := r.indexed("MessageTypes")
	if !ok {
		return nil, errInvalid("MessageTypes")
	}
	if name != "" {
		if err := checkName(name); err != nil {
			return nil, err
		}
	}
	if email != "" {
		if err := checkEmail(email); err != nil {
			return nil, err
		}
	}
	if phone != "" {
		if err := checkPhone(e.cfg.Site, phone); err != nil {
			return nil, err
		}
	}
	if title != "" {
		if err := checkTitle(title); err != nil {
			return nil, err
		}
	}
	if len(types) > 0 {
		var err *apiError
		if types, err = checkMessageTypes(types); err != nil {
			return nil, err
		}
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	if c.deleting {
		return nil, errStatusMismatch()
	}
	if name != "" && name != c.name && e.nameUsed(name, c.id) {
		return nil, &apiError{status: http.StatusBadRequest, code: "InvalidParameter.Name.AlreadyUsed", msg: "The Name is already used."}
	}
	if name != "" {
		c.name = name
	}
	if title != "" {
		c.title = title
	}
	if len(types) > 0 {
		c.types = types
	}
	// A value equal to the effective one drops that kind's pending record;
	// any other value becomes (or replaces) the pending record.
	if email != "" {
		if email == c.email {
			c.pendingEmail = ""
		} else {
			c.pendingEmail = email
		}
	}
	if phone != "" {
		if phone == c.phone {
			c.pendingPhone = ""
		} else {
			c.pendingPhone = phone
		}
	}
	return onlyRequestID{r.requestID}, nil
}

func (e *Emulator) getMessageContact(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	return struct {
		RequestID string      `json:"RequestId"`
		Contact   contactJSON `json:"Contact"`
	}{r.requestID, e.view(c)}, nil
}

func (e *Emulator) listMessageContacts(r *apiRequest) (any, *apiError) {
	number, size, aerr := e.page(r)
	if aerr != nil {
		return nil, aerr
	}
	filterID, filterMember := r.get("ContactId"), r.get("Member")
	var all []contactJSON
	for _, c := range e.sortedContacts() {
		if filterID != "" && c.id != filterID {
			continue
		}
		v := e.view(c)
		if filterMember != "" {
			i := slices.IndexFunc(c.members, func(m member) bool { return m.id == filterMember })
			if i < 0 {
				continue
			}
			v.AssociatedDate = c.members[i].date
		}
		all = append(all, v)
	}
	start, end := pageBounds(number, size, len(all))
	items := all[start:end]
	if items == nil {
		items = []contactJSON{}
	}
	return struct {
		RequestID  string        `json:"RequestId"`
		TotalCount int           `json:"TotalCount"`
		PageNumber int           `json:"PageNumber"`
		PageSize   int           `json:"PageSize"`
		Contacts   []contactJSON `json:"Contacts"`
	}{r.requestID, len(all), number, size, items}, nil
}

func (e *Emulator) deleteMessageContact(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	retain := true
	switch s := r.get("RetainContactInMembers"); {
	case s == "":
	case strings.EqualFold(s, "true"):
	case strings.EqualFold(s, "false"):
		retain = false
	default:
		return nil, errInvalid("RetainContactInMembers")
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	if c.deleting {
		return nil, errConcurrent()
	}
	status := DeletionDeleted
	if retain {
		e.removeContact(c)
	} else {
		e.startDeletion(c, r.now)
		status = DeletionDeleting
	}
	return struct {
		RequestID string `json:"RequestId"`
		Status    string `json:"Status"`
	}{r.requestID, status}, nil
}

func (e *Emulator) getMessageContactDeletionStatus(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	e.pollDeletion(c)
	if c, aerr = e.lookup(id); aerr != nil {
		return nil, aerr // the deletion just ended
	}
	if c.deletionStatus == "" {
		// No asynchronous deletion was ever requested for this contact.
		return nil, errStatusMismatch()
	}
	reasons := make([]failReasonJSON, 0, len(c.failReasons))
	for _, fr := range c.failReasons {
		types := slices.Clone(fr.MessageTypes)
		if types == nil {
			types = []string{}
		}
		reasons = append(reasons, failReasonJSON{AccountID: fr.AccountID, MessageTypes: types})
	}
	type deletionStatus struct {
		ContactID      string           `json:"ContactId"`
		Status         string           `json:"Status"`
		FailReasonList []failReasonJSON `json:"FailReasonList"`
	}
	return struct {
		RequestID             string         `json:"RequestId"`
		ContactDeletionStatus deletionStatus `json:"ContactDeletionStatus"`
	}{r.requestID, deletionStatus{c.id, c.deletionStatus, reasons}}, nil
}

func (e *Emulator) cancelMessageContactUpdate(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	phone, email := r.get("PhoneNumber"), r.get("EmailAddress")
	switch {
	case phone == "" && email == "":
		return nil, &apiError{status: http.StatusBadRequest, code: "MissingParameter", msg: "You must specify PhoneNumber or EmailAddress."}
	case phone != "" && email != "":
		return nil, &apiError{status: http.StatusBadRequest, code: "InvalidParameter", msg: "Specify only one of PhoneNumber and EmailAddress."}
	case phone != "":
		if err := checkPhone(e.cfg.Site, phone); err != nil {
			return nil, err
		}
	default:
		if err := checkEmail(email); err != nil {
			return nil, err
		}
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	if c.deleting {
		return nil, errStatusMismatch()
	}
	if phone != "" {
		if c.pendingPhone != phone {
			return nil, errStatusMismatch()
		}
		c.pendingPhone = ""
	} else {
		if c.pendingEmail != email {
			return nil, errStatusMismatch()
		}
		c.pendingEmail = ""
	}
	return onlyRequestID{r.requestID}, nil
}

func (e *Emulator) listMessageContactVerifications(r *apiRequest) (any, *apiError) {
	filterID := r.get("ContactId")
	if filterID != "" && !validContactID(filterID) {
		return nil, errInvalid("ContactId")
	}
	number, size, aerr := e.page(r)
	if aerr != nil {
		return nil, aerr
	}
	var cs []*contact
	if filterID != "" {
		c, aerr := e.lookup(filterID)
		if aerr != nil {
			return nil, aerr
		}
		cs = []*contact{c}
	} else {
		cs = e.sortedContacts()
	}
	var all []verificationJSON
	for _, c := range cs {
		if c.pendingEmail != "" {
			all = append(all, verificationJSON{c.id, c.pendingEmail})
		}
		if c.pendingPhone != "" {
			all = append(all, verificationJSON{c.id, c.pendingPhone})
		}
	}
	start, end := pageBounds(number, size, len(all))
	items := all[start:end]
	if items == nil {
		items = []verificationJSON{}
	}
	return struct {
		RequestID            string             `json:"RequestId"`
		TotalCount           int                `json:"TotalCount"`
		PageNumber           int                `json:"PageNumber"`
		PageSize             int                `json:"PageSize"`
		ContactVerifications []verificationJSON `json:"ContactVerifications"`
	}{r.requestID, len(all), number, size, items}, nil
}

// consumeSend applies the send limits to one verification message for addr;
// e.mu must be held.
func (e *Emulator) consumeSend(addr string, now time.Time) *apiError {
	e.sendsDay = slices.DeleteFunc(e.sendsDay, func(t time.Time) bool { return now.Sub(t) >= 24*time.Hour })
	for a, ts := range e.sendsAddr {
		ts = slices.DeleteFunc(ts, func(t time.Time) bool { return now.Sub(t) >= time.Minute })
		if len(ts) == 0 {
			delete(e.sendsAddr, a)
		} else {
			e.sendsAddr[a] = ts
		}
	}
	if len(e.sendsDay) >= SendLimitPerDay {
		return &apiError{status: http.StatusConflict, code: "SendValidateCodeExceedsLimitForAccount",
			msg: "The number of verification messages sent by the account today exceeds the limit."}
	}
	if len(e.sendsAddr[addr]) >= SendLimitPerMinute {
		return &apiError{status: http.StatusConflict, code: "SendValidateCodeExceedsLimitForAccount",
			msg: "The number of verification messages sent to this address in one minute exceeds the limit."}
	}
	e.sendsDay = append(e.sendsDay, now)
	e.sendsAddr[addr] = append(e.sendsAddr[addr], now)
	return nil
}

func (e *Emulator) sendEmailVerification(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	email := r.get("EmailAddress")
	if email == "" {
		return nil, errMissing("EmailAddress")
	}
	if err := checkEmail(email); err != nil {
		return nil, err
	}
	return e.sendVerification(r, id, email, true)
}

func (e *Emulator) sendPhoneVerification(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	phone := r.get("PhoneNumber")
	if phone == "" {
		return nil, errMissing("PhoneNumber")
	}
	if err := checkPhone(e.cfg.Site, phone); err != nil {
		return nil, err
	}
	return e.sendVerification(r, id, phone, false)
}

func (e *Emulator) sendVerification(r *apiRequest, id, target string, isEmail bool) (any, *apiError) {
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := e.consumeSend(target, r.now); aerr != nil {
		return nil, aerr
	}
	pending := c.pendingPhone
	if isEmail {
		pending = c.pendingEmail
	}
	if pending != target {
		return nil, errVerificationNotFound()
	}
	return onlyRequestID{r.requestID}, nil
}

// members reads Members.N for Associate/Disassociate. tooMany is the error
// for more than MaxMembersPerCall, badFormat the error for a malformed ID.
func (r *apiRequest) members(tooMany, badFormat func() *apiError) ([]string, *apiError) {
	ms, ok := r.indexed("Members")
	if !ok || len(ms) == 0 {
		return nil, errInvalid("Members")
	}
	if len(ms) > MaxMembersPerCall {
		return nil, tooMany()
	}
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if seen[m] {
			return nil, &apiError{status: http.StatusBadRequest, code: "InvalidParameter.Members.Duplicate", msg: "The Members contain duplicate values."}
		}
		seen[m] = true
	}
	for _, m := range ms {
		if !validMemberID(m) {
			return nil, badFormat()
		}
	}
	return ms, nil
}

func (e *Emulator) associateMembers(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	ms, aerr := r.members(
		func() *apiError { return errInvalid("Members") },
		func() *apiError {
			return &apiError{status: http.StatusBadRequest, code: "InvalidMember", msg: "The Member is invalid."}
		})
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	if c.deleting {
		return nil, errStatusMismatch()
	}
	bound := len(c.members)
	for _, m := range ms {
		if !slices.ContainsFunc(c.members, func(x member) bool { return x.id == m }) {
			bound++
		}
	}
	if bound > MaxMembersPerContact {
		return nil, &apiError{status: http.StatusBadRequest, code: "LimitExceeded.ContactMembers",
			msg: "The number of members bound to the contact exceeds the upper limit."}
	}
	date := e.date(r.now)
	out := make([]memberJSON, 0, len(ms))
	for _, m := range ms {
		if !slices.ContainsFunc(c.members, func(x member) bool { return x.id == m }) {
			c.members = append(c.members, member{id: m, date: date})
		}
		out = append(out, memberJSON{ContactID: c.id, MemberID: m, ModifyDate: date})
	}
	return membersResponse{r.requestID, out}, nil
}

func (e *Emulator) disassociateMembers(r *apiRequest) (any, *apiError) {
	id, aerr := r.contactID()
	if aerr != nil {
		return nil, aerr
	}
	ms, aerr := r.members(
		func() *apiError {
			return &apiError{status: http.StatusBadRequest, code: "InvalidParameter.Members.Length", msg: "The number of Members is invalid."}
		},
		func() *apiError { return errInvalid("Members") })
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := e.lookup(id)
	if aerr != nil {
		return nil, aerr
	}
	date := e.date(r.now)
	out := make([]memberJSON, 0, len(ms))
	for _, m := range ms {
		c.members = slices.DeleteFunc(c.members, func(x member) bool { return x.id == m })
		out = append(out, memberJSON{ContactID: c.id, MemberID: m, ModifyDate: date})
	}
	return membersResponse{r.requestID, out}, nil
}
