package recording

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

func TestWithoutRequestID(t *testing.T) {
	cases := map[string]string{
		`{"RequestId":"4E5AEC91-0355","TotalCount":0}`:    `{"RequestId":"","TotalCount":0}`,
		`{"RequestId" : "X","Contact":{"RequestId":"Y"}}`: `{"RequestId" : "","Contact":{"RequestId":""}}`,
		`{"RequestId":"A","Code":"Throttling.User","Recommend":"https://api.alibabacloud.com/troubleshoot?q=Throttling.User&product=ResourceDirectoryMaster&requestId=A"}`: `{"RequestId":"","Code":"Throttling.User","Recommend":"https://api.alibabacloud.com/troubleshoot?q=Throttling.User&product=ResourceDirectoryMaster&requestId="}`,
		`<Response><RequestId>A-1</RequestId><Total>0</Total></Response>`:                                                                                                  `<Response><RequestId></RequestId><Total>0</Total></Response>`,
		`{"Name":"RequestIds are mentioned here","TotalCount":1}`:                                                                                                          `{"Name":"RequestIds are mentioned here","TotalCount":1}`,
		``: ``,
	}
	for in, want := range cases {
		if got := withoutRequestID(in); got != want {
			t.Errorf("withoutRequestID(%s)\n  = %s\nwant %s", in, got, want)
		}
	}
}

// Identical concurrent calls get their RequestIds in arrival order, but are
// recorded when their answers come back, in any order: Save puts answers
// that differ only in their RequestId in one order, and keeps the recorded
// order of answers that differ otherwise.
func TestSaveCanonicalOrderOfInterchangeableAnswers(t *testing.T) {
	type call struct {
		action, contact string
		code            int
		body            string
	}
	listVerif := func(id string) call {
		return call{"ListMessageContactVerifications", "c-1", 200,
			`{"RequestId":"` + id + `","TotalCount":0,"PageNumber":1,"PageSize":100,"ContactVerifications":[]}`}
	}
	throttled := func(id string) call {
		return call{"UpdateMessageContact", "c-1", 400, `{"RequestId":"` + id +
			`","HostId":"rd.test","Code":"Throttling.User","Message":"Request was denied due to user flow control.",` +
			`"Recommend":"https://api.alibabacloud.com/troubleshoot?q=Throttling.User&product=ResourceDirectoryMaster&requestId=` + id + `"}`}
	}
	updated := call{"UpdateMessageContact", "c-1", 200, `{"RequestId":"F0"}`}
	deleting := func(id string) call {
		return call{"GetMessageContactDeletionStatus", "c-2", 200,
			`{"RequestId":"` + id + `","ContactDeletionStatus":{"ContactId":"c-2","Status":"Deleting","FailReasonList":[]}}`}
	}
	gone := call{"GetMessageContactDeletionStatus", "c-2", 404,
		`{"RequestId":"D9","HostId":"rd.test","Code":"EntityNotExists.Contact","Message":"The contact does not exist."}`}

	save := func(calls []call) []byte {
		t.Helper()
		rec := NewRecorder(nil)
		for _, c := range calls {
			params := url.Values{"Action": {c.action}, "ContactId": {c.contact}, "Format": {"JSON"},
				"AccessKeyId": {"LTAI5tSomeKey"}, "SignatureNonce": {"nonce-0001"}}
			if c.action == "UpdateMessageContact" {
				params.Set("PhoneNumber", "86-13912345678")
			}
			rec.add(params, upstreamResponse{code: c.code, body: []byte(c.body),
				header: http.Header{"Content-Type": {"application/json;charset=utf-8"}}})
		}
		path := filepath.Join(t.TempDir(), "c.yaml")
		if err := rec.Save(path); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	// Two recordings of the same test: the concurrent reads and the
	// throttled attempts came back in other orders, interleaved otherwise.
	a := save([]call{
		listVerif("B2"), throttled("T1"), deleting("E1"), listVerif("A1"), throttled("T0"), deleting("E0"),
		updated, listVerif("C3"), gone,
	})
	b := save([]call{
		deleting("E0"), throttled("T0"), listVerif("C3"), listVerif("A1"), deleting("E1"), throttled("T1"),
		listVerif("B2"), updated, gone,
	})
	if !bytes.Equal(a, b) {
		t.Fatalf("cassettes differ:\n%s", cmp.Diff(string(a), string(b)))
	}

	// The order within each key: interchangeable answers sorted by body,
	// the others as recorded (the success after the throttled attempts,
	// the deletion's end after its Deleting polls).
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, a, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range c.Interactions {
		got = append(got, fmt.Sprintf("%s %d %s", in.Request.Form.Get("Action"), in.Response.Code, in.Response.Body[:17]))
	}
	want := []string{
		`GetMessageContactDeletionStatus 200 {"RequestId":"E0"`,
		`GetMessageContactDeletionStatus 200 {"RequestId":"E1"`,
		`GetMessageContactDeletionStatus 404 {"RequestId":"D9"`,
		`ListMessageContactVerifications 200 {"RequestId":"A1"`,
		`ListMessageContactVerifications 200 {"RequestId":"B2"`,
		`ListMessageContactVerifications 200 {"RequestId":"C3"`,
		`UpdateMessageContact 400 {"RequestId":"T0"`,
		`UpdateMessageContact 400 {"RequestId":"T1"`,
		`UpdateMessageContact 200 {"RequestId":"F0"`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("saved order (-want +got):\n%s", d)
	}

	// A success recorded between two throttled attempts (it cannot happen
	// with one client, but the order must then be kept as recorded).
	mixed := save([]call{throttled("T1"), updated, throttled("T0")})
	if i, j, k := bytes.Index(mixed, []byte(`"RequestId":"T1"`)), bytes.Index(mixed, []byte(`"RequestId":"F0"`)),
		bytes.Index(mixed, []byte(`"RequestId":"T0"`)); i >= j || j >= k {
		t.Errorf("answers that differ were reordered:\n%s", mixed)
	}
}
