package rdclient

import (
	"context"
	"fmt"
	"strconv"
	"testing"
)

// pagedServer serves n contacts and n verifications, capping the page size
// at maxPage whatever the client asks for.
func pagedServer(t *testing.T, n, maxPage int, reportTotal bool) *fakeServer {
	return newFake(t, func(_ int, c recordedCall) reply {
		page, _ := strconv.Atoi(c.Form.Get("PageNumber"))
		size, _ := strconv.Atoi(c.Form.Get("PageSize"))
		if page < 1 {
			page = 1
		}
		if size < 1 || size > maxPage {
			size = maxPage
		}
		var contacts, verifs []any
		for i := (page - 1) * size; i < page*size && i < n; i++ {
			contacts = append(contacts, map[string]any{"ContactId": fmt.Sprintf("c-%02d", i), "Name": "n"})
			verifs = append(verifs, map[string]any{"ContactId": "c-1", "Target": fmt.Sprintf("x%02d@y.org", i)})
		}
		body := map[string]any{"PageNumber": strconv.Itoa(page), "PageSize": size, "Contacts": contacts, "ContactVerifications": verifs}
		if reportTotal {
			body["TotalCount"] = strconv.Itoa(n) // strings are accepted too
		}
		return okReply(body)
	})
}

func TestListAllWithCappedPageSize(t *testing.T) {
	for _, reportTotal := range []bool{true, false} {
		t.Run(fmt.Sprintf("total=%v", reportTotal), func(t *testing.T) {
			fake := pagedServer(t, 7, 3, reportTotal)
			c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.PageSize = 10 })
			contacts, err := c.ListAllMessageContacts(context.Background(), "rd-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(contacts) != 7 {
				t.Fatalf("got %d contacts, want 7", len(contacts))
			}
			for i, ct := range contacts {
				if want := fmt.Sprintf("c-%02d", i); ct.ContactID != want {
					t.Errorf("contact %d = %s, want %s", i, ct.ContactID, want)
				}
			}
			calls := fake.Calls()
			// 3 full pages hold 7 contacts; without TotalCount the 3rd page is short and ends the walk.
			if len(calls) != 3 {
				t.Errorf("got %d calls, want 3", len(calls))
			}
			for i, call := range calls {
				if call.Form.Get("PageNumber") != strconv.Itoa(i+1) || call.Form.Get("PageSize") != "10" || call.Form.Get("Member") != "rd-1" {
					t.Errorf("call %d params %v", i, call.Form)
				}
			}

			verifs, err := c.ListAllMessageContactVerifications(context.Background(), "c-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(verifs) != 7 || verifs[6].Target != "x06@y.org" {
				t.Errorf("verifications = %v", verifs)
			}
		})
	}
}

func TestListAllExactMultipleAndEmpty(t *testing.T) {
	fake := pagedServer(t, 6, 3, false)
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.PageSize = 3 })
	contacts, err := c.ListAllMessageContacts(context.Background(), "")
	if err != nil || len(contacts) != 6 {
		t.Fatalf("got %d, %v", len(contacts), err)
	}
	// Pages 1 and 2 are full, page 3 is empty.
	if n := len(fake.Calls()); n != 3 {
		t.Errorf("got %d calls, want 3", n)
	}
	if fake.Calls()[0].Form.Has("Member") {
		t.Error("an empty member filter must not be sent")
	}

	empty := pagedServer(t, 0, 3, true)
	c = newTestClient(t, empty.URL)
	contacts, err = c.ListAllMessageContacts(context.Background(), "")
	if err != nil || contacts == nil || len(contacts) != 0 {
		t.Fatalf("got %v, %v", contacts, err)
	}
	if got := empty.Calls()[0].Form.Get("PageSize"); got != strconv.Itoa(DefaultPageSize) {
		t.Errorf("default page size sent = %s", got)
	}
}

func TestListAllPageBound(t *testing.T) {
	// A server that ignores PageNumber and claims more than it ever returns.
	fake := newFake(t, func(int, recordedCall) reply {
		return okReply(map[string]any{"TotalCount": 1000000, "Contacts": []any{map[string]any{"ContactId": "c-1"}}})
	})
	c := newTestClient(t, fake.URL)
	_, err := c.ListAllMessageContacts(context.Background(), "")
	if err == nil {
		t.Fatal("want an error")
	}
	if n := len(fake.Calls()); n != maxPages {
		t.Errorf("got %d calls, want %d", n, maxPages)
	}
}

func TestListAllStopsOnError(t *testing.T) {
	fake := newFake(t, func(n int, c recordedCall) reply {
		if n == 2 {
			return errReply(400, "InvalidParameter.PageSize", "The PageSize is invalid.", "r")
		}
		return okReply(map[string]any{"TotalCount": 10, "ContactVerifications": []any{map[string]any{"ContactId": "c", "Target": "t"}}})
	})
	c := newTestClient(t, fake.URL)
	if _, err := c.ListAllMessageContactVerifications(context.Background(), ""); !HasCode(err, "InvalidParameter.PageSize") {
		t.Fatalf("err = %v", err)
	}
}
