package rdclient

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

var sampleContact = map[string]any{
	"ContactId":    "c-qL4HqKONzOM7",
	"Name":         "Tom",
	"EmailAddress": "someone@example.com",
	"PhoneNumber":  "86-13900001234",
	"Title":        "TechnicalDirector",
	"MessageTypes": []string{"AccountExpenses", "ServiceMessage"},
	"Members":      []string{"rd-3G****", "fd-1A****"},
	"Status":       "Active",
	"CreateDate":   "2023-03-27 17:19:21",
}

var sampleContactGo = Contact{
	ContactID:    "c-qL4HqKONzOM7",
	Name:         "Tom",
	EmailAddress: "someone@example.com",
	PhoneNumber:  "86-13900001234",
	Title:        "TechnicalDirector",
	MessageTypes: []string{"AccountExpenses", "ServiceMessage"},
	Members:      []string{"rd-3G****", "fd-1A****"},
	Status:       "Active",
	CreateDate:   "2023-03-27 17:19:21",
}

func TestOperations(t *testing.T) {
	tests := []struct {
		name       string
		action     string
		wantParams map[string]string
		response   map[string]any
		call       func(ctx context.Context, c *Client) (any, error)
		want       any
	}{
		{
			name:   "AddMessageContact",
			action: "AddMessageContact",
			wantParams: map[string]string{
				"Name": "Tom", "EmailAddress": "someone@example.com", "PhoneNumber": "86-13900001234",
				"Title": "CEO", "MessageTypes.1": "ServiceMessage", "MessageTypes.2": "FaultMessage",
			},
			response: map[string]any{"Contact": map[string]any{"ContactId": "c-qL4HqKONzOM7", "CreateDate": "2023-03-27 17:19:21"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddMessageContact(ctx, AddMessageContactInput{
					Name: "Tom", EmailAddress: "someone@example.com", PhoneNumber: "86-13900001234",
					Title: "CEO", MessageTypes: []string{"ServiceMessage", "FaultMessage"},
				})
			},
			want: &AddMessageContactOutput{ContactID: "c-qL4HqKONzOM7", CreateDate: "2023-03-27 17:19:21"},
		},
		{
			name:   "AddMessageContact without phone",
			action: "AddMessageContact",
			wantParams: map[string]string{
				"Name": "Tom", "EmailAddress": "a@b.co", "Title": "Other", "MessageTypes.1": "ServiceMessage",
			},
			response: map[string]any{"Contact": map[string]any{"ContactId": "c-x", "CreateDate": "d"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddMessageContact(ctx, AddMessageContactInput{
					Name: "Tom", EmailAddress: "a@b.co", Title: "Other", MessageTypes: []string{"ServiceMessage"},
				})
			},
			want: &AddMessageContactOutput{ContactID: "c-x", CreateDate: "d"},
		},
		{
			name:   "UpdateMessageContact all fields",
			action: "UpdateMessageContact",
			wantParams: map[string]string{
				"ContactId": "c-1", "Name": "Jerry", "EmailAddress": "dm.ldm@gmail.com", "PhoneNumber": "86-13912341234",
				"Title": "CEO", "MessageTypes.1": "SecurityMessage", "MessageTypes.2": "ActivityMessage", "MessageTypes.3": "ProductMessage",
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateMessageContact(ctx, UpdateMessageContactInput{
					ContactID: "c-1", Name: ptr("Jerry"), EmailAddress: ptr("dm.ldm@gmail.com"), PhoneNumber: ptr("86-13912341234"),
					Title: ptr("CEO"), MessageTypes: []string{"SecurityMessage", "ActivityMessage", "ProductMessage"},
				})
			},
		},
		{
			name:       "UpdateMessageContact only phone",
			action:     "UpdateMessageContact",
			wantParams: map[string]string{"ContactId": "c-1", "PhoneNumber": "86-13912341234"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UpdateMessageContact(ctx, UpdateMessageContactInput{ContactID: "c-1", PhoneNumber: ptr("86-13912341234")})
			},
		},
		{
			name:       "GetMessageContact",
			action:     "GetMessageContact",
			wantParams: map[string]string{"ContactId": "c-qL4HqKONzOM7"},
			response:   map[string]any{"Contact": sampleContact},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetMessageContact(ctx, "c-qL4HqKONzOM7")
			},
			want: &sampleContactGo,
		},
		{
			name:       "GetMessageContact without lists",
			action:     "GetMessageContact",
			wantParams: map[string]string{"ContactId": "c-2"},
			response:   map[string]any{"Contact": map[string]any{"ContactId": "c-2", "Status": "Verifying"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetMessageContact(ctx, "c-2")
			},
			want: &Contact{ContactID: "c-2", Status: "Verifying", MessageTypes: []string{}, Members: []string{}},
		},
		{
			name:       "ListMessageContacts",
			action:     "ListMessageContacts",
			wantParams: map[string]string{"Member": "rd-1", "PageNumber": "2", "PageSize": "20"},
			response: map[string]any{
				"TotalCount": "21", "PageNumber": 2, "PageSize": "20",
				"Contacts": []any{func() map[string]any {
					m := map[string]any{"AssociatedDate": "2023-03-28 10:00:00"}
					for k, v := range sampleContact {
						m[k] = v
					}
					return m
				}()},
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListMessageContacts(ctx, ListMessageContactsInput{Member: "rd-1", PageNumber: 2, PageSize: 20})
			},
			want: &ListMessageContactsOutput{TotalCount: 21, PageNumber: 2, PageSize: 20, Contacts: []Contact{func() Contact {
				c := sampleContactGo
				c.AssociatedDate = "2023-03-28 10:00:00"
				return c
			}()}},
		},
		{
			name:       "ListMessageContacts by id, empty",
			action:     "ListMessageContacts",
			wantParams: map[string]string{"ContactId": "c-1"},
			response:   map[string]any{"TotalCount": 0, "PageNumber": 1, "PageSize": 10, "Contacts": []any{}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListMessageContacts(ctx, ListMessageContactsInput{ContactID: "c-1"})
			},
			want: &ListMessageContactsOutput{PageNumber: 1, PageSize: 10, Contacts: []Contact{}},
		},
		{
			name:       "DeleteMessageContact retain",
			action:     "DeleteMessageContact",
			wantParams: map[string]string{"ContactId": "c-1", "RetainContactInMembers": "true"},
			response:   map[string]any{"Status": "Deleted"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.DeleteMessageContact(ctx, "c-1", true)
			},
			want: "Deleted",
		},
		{
			name:       "DeleteMessageContact async",
			action:     "DeleteMessageContact",
			wantParams: map[string]string{"ContactId": "c-1", "RetainContactInMembers": "false"},
			response:   map[string]any{"Status": "Deleting"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.DeleteMessageContact(ctx, "c-1", false)
			},
			want: "Deleting",
		},
		{
			name:       "GetMessageContactDeletionStatus",
			action:     "GetMessageContactDeletionStatus",
			wantParams: map[string]string{"ContactId": "c-1"},
			response: map[string]any{"ContactDeletionStatus": map[string]any{
				"ContactId": "c-1", "Status": "Failed",
				"FailReasonList": []any{map[string]any{"AccountId": "1234567890123456", "MessageTypes": []string{"AccountExpenses"}}},
			}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetMessageContactDeletionStatus(ctx, "c-1")
			},
			want: &DeletionStatus{ContactID: "c-1", Status: "Failed", FailReasonList: []DeletionFailReason{
				{AccountID: "1234567890123456", MessageTypes: []string{"AccountExpenses"}},
			}},
		},
		{
			name:       "CancelMessageContactUpdate phone",
			action:     "CancelMessageContactUpdate",
			wantParams: map[string]string{"ContactId": "c-1", "PhoneNumber": "86-13912341234"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.CancelMessageContactUpdate(ctx, CancelMessageContactUpdateInput{ContactID: "c-1", PhoneNumber: "86-13912341234"})
			},
		},
		{
			name:       "CancelMessageContactUpdate email",
			action:     "CancelMessageContactUpdate",
			wantParams: map[string]string{"ContactId": "c-1", "EmailAddress": "x@y.org"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.CancelMessageContactUpdate(ctx, CancelMessageContactUpdateInput{ContactID: "c-1", EmailAddress: "x@y.org"})
			},
		},
		{
			name:       "ListMessageContactVerifications",
			action:     "ListMessageContactVerifications",
			wantParams: map[string]string{"ContactId": "c-1", "PageNumber": "1", "PageSize": "50"},
			response: map[string]any{"TotalCount": 2, "PageNumber": "1", "PageSize": 50, "ContactVerifications": []any{
				map[string]any{"ContactId": "c-1", "Target": "86-13912341234"},
				map[string]any{"ContactId": "c-1", "Target": "x@y.org"},
			}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListMessageContactVerifications(ctx, ListMessageContactVerificationsInput{ContactID: "c-1", PageNumber: 1, PageSize: 50})
			},
			want: &ListMessageContactVerificationsOutput{TotalCount: 2, PageNumber: 1, PageSize: 50, ContactVerifications: []ContactVerification{
				{ContactID: "c-1", Target: "86-13912341234"}, {ContactID: "c-1", Target: "x@y.org"},
			}},
		},
		{
			name:       "SendEmailVerificationForMessageContact",
			action:     "SendEmailVerificationForMessageContact",
			wantParams: map[string]string{"ContactId": "c-1", "EmailAddress": "x@y.org"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.SendEmailVerificationForMessageContact(ctx, "c-1", "x@y.org")
			},
		},
		{
			name:       "SendPhoneVerificationForMessageContact",
			action:     "SendPhoneVerificationForMessageContact",
			wantParams: map[string]string{"ContactId": "c-1", "PhoneNumber": "86-13912341234"},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.SendPhoneVerificationForMessageContact(ctx, "c-1", "86-13912341234")
			},
		},
		{
			name:       "AssociateMembers",
			action:     "AssociateMembers",
			wantParams: map[string]string{"ContactId": "c-1", "Members.1": "rd-3G****", "Members.2": "fd-1A****", "Members.3": "1234567890123456"},
			response: map[string]any{"Members": []any{
				map[string]any{"ContactId": "c-1", "MemberId": "rd-3G****", "ModifyDate": "2023-03-27 17:19:21"},
				map[string]any{"ContactId": "c-1", "MemberId": "fd-1A****", "ModifyDate": "2023-03-27 17:19:21"},
				map[string]any{"ContactId": "c-1", "MemberId": "1234567890123456", "ModifyDate": "2023-03-27 17:19:21"},
			}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AssociateMembers(ctx, "c-1", []string{"rd-3G****", "fd-1A****", "1234567890123456"})
			},
			want: []MemberBinding{
				{ContactID: "c-1", MemberID: "rd-3G****", ModifyDate: "2023-03-27 17:19:21"},
				{ContactID: "c-1", MemberID: "fd-1A****", ModifyDate: "2023-03-27 17:19:21"},
				{ContactID: "c-1", MemberID: "1234567890123456", ModifyDate: "2023-03-27 17:19:21"},
			},
		},
		{
			name:       "DisassociateMembers",
			action:     "DisassociateMembers",
			wantParams: map[string]string{"ContactId": "c-1", "Members.1": "rd-3G****"},
			response: map[string]any{"Members": []any{
				map[string]any{"ContactId": "c-1", "MemberId": "rd-3G****", "ModifyDate": "2023-03-27 17:20:00"},
			}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.DisassociateMembers(ctx, "c-1", []string{"rd-3G****"})
			},
			want: []MemberBinding{{ContactID: "c-1", MemberID: "rd-3G****", ModifyDate: "2023-03-27 17:20:00"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, func(int, recordedCall) reply { return okReply(tt.response) })
			c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.UserAgent = "terraform-provider-alicloudrd/test" })
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			}
			calls := fake.Calls()
			if len(calls) != 1 {
				t.Fatalf("got %d calls, want 1", len(calls))
			}
			call := calls[0]
			if call.Method != "POST" {
				t.Errorf("method = %s, want POST", call.Method)
			}
			if !strings.HasPrefix(call.ContentType, "application/x-www-form-urlencoded") {
				t.Errorf("content type = %q", call.ContentType)
			}
			if !strings.HasPrefix(call.UserAgent, "terraform-provider-alicloudrd/test AlibabaCloud (") {
				t.Errorf("user agent %q does not start with the configured one, then the SDK's", call.UserAgent)
			}
			q := call.Query
			for k, want := range map[string]string{"Action": tt.action, "Version": "2022-04-19", "Format": "JSON", "RegionId": "cn-shanghai", "AccessKeyId": testAccessKeyID, "SignatureMethod": "HMAC-SHA1"} {
				if got := q.Get(k); got != want {
					t.Errorf("query %s = %q, want %q", k, got, want)
				}
			}
			if diff := cmp.Diff(tt.wantParams, call.business()); diff != "" {
				t.Errorf("form parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLocalValidation(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return okReply(nil) })
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	checks := map[string]error{
		"empty contact id": func() error { _, err := c.GetMessageContact(ctx, ""); return err }(),
		"cancel both":      c.CancelMessageContactUpdate(ctx, CancelMessageContactUpdateInput{ContactID: "c-1", PhoneNumber: "86-1", EmailAddress: "a@b.c"}),
		"cancel neither":   c.CancelMessageContactUpdate(ctx, CancelMessageContactUpdateInput{ContactID: "c-1"}),
		"too many members": func() error {
			_, err := c.AssociateMembers(ctx, "c-1", []string{"1", "2", "3", "4", "5", "6"})
			return err
		}(),
		"no members": func() error { _, err := c.DisassociateMembers(ctx, "c-1", nil); return err }(),
	}
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("invalid input reached the server %d times", n)
	}
}

func TestMalformedResponses(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		body map[string]any
		call func(c *Client) error
	}{
		"add without contact": {map[string]any{}, func(c *Client) error {
			_, err := c.AddMessageContact(ctx, AddMessageContactInput{Name: "a"})
			return err
		}},
		"get without contact": {map[string]any{}, func(c *Client) error { _, err := c.GetMessageContact(ctx, "c-1"); return err }},
		"list with bad total": {map[string]any{"TotalCount": "many"}, func(c *Client) error {
			_, err := c.ListMessageContacts(ctx, ListMessageContactsInput{})
			return err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			fake := newFake(t, func(int, recordedCall) reply { return okReply(tc.body) })
			if err := tc.call(newTestClient(t, fake.URL)); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestWrappedListShapes(t *testing.T) {
	// Some Alibaba Cloud APIs wrap arrays in an object; accept that too.
	fake := newFake(t, func(int, recordedCall) reply {
		return okReply(map[string]any{"Contact": map[string]any{
			"ContactId": "c-1", "MessageTypes": map[string]any{"MessageType": []string{"ServiceMessage"}}, "Members": nil,
		}})
	})
	got, err := newTestClient(t, fake.URL).GetMessageContact(context.Background(), "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Contact{ContactID: "c-1", MessageTypes: []string{"ServiceMessage"}, Members: []string{}}, got); diff != "" {
		t.Error(diff)
	}
}

func TestConcurrentUse(t *testing.T) {
	var unavailable atomic.Int64
	fake := newFake(t, func(n int, c recordedCall) reply {
		if n%3 == 0 {
			unavailable.Add(1)
			return errReply(503, "ServiceUnavailable", "try later", "req-503")
		}
		return okReply(map[string]any{"Contact": map[string]any{"ContactId": c.Form.Get("ContactId")}})
	})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 10 })
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetMessageContact(context.Background(), "c-1"); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every call succeeded once; every 503 was retried.
	if n, retried := int64(len(fake.Calls())), unavailable.Load(); retried == 0 || n != 40+retried {
		t.Errorf("server saw %d requests, %d answered 503; want 40 more requests than 503s", n, retried)
	}
}
