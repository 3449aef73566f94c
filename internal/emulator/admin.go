package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveAdmin serves the unsigned test hooks under AdminPrefix
// (internal/emulator/README.md "Admin endpoints"). They are not part of the
// API and are never recorded as calls:
//
//	POST /_emulator/verify?ContactId=&Target=   complete a pending verification
//	POST /_emulator/cancel?ContactId=&Target=   withdraw a pending change
//	POST /_emulator/delete?ContactId=           delete a contact at once
//	POST /_emulator/faults                      set Faults (JSON body)
//	GET  /_emulator/calls                       calls served, as JSON lines
//	GET  /_emulator/contacts                    contact snapshots, as JSON
//	GET  /_emulator/credentials?RoleArn=        temporary credentials of the role
func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.URL.Path, AdminPrefix)
	want := http.MethodPost
	if op == "calls" || op == "contacts" || op == "credentials" {
		want = http.MethodGet
	}
	switch op {
	case "verify", "cancel", "delete", "faults", "calls", "contacts", "credentials":
	default:
		adminError(w, http.StatusNotFound, "NotFound", "unknown admin path "+r.URL.Path)
		return
	}
	if r.Method != want {
		w.Header().Set("Allow", want)
		adminError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", want+" is required")
		return
	}
	q := r.URL.Query()
	if op != "faults" && op != "calls" && op != "contacts" {
		// Also accept a form body.
		if err := r.ParseForm(); err == nil {
			q = r.Form
		}
	}
	id, target := q.Get("ContactId"), q.Get("Target")
	switch op {
	case "verify", "cancel":
		hook := e.Verify
		if op == "cancel" {
			hook = e.CancelPending
		}
		err := hook(id, target)
		if errors.Is(err, ErrNothingPending) && strings.Contains(target, " ") {
			// An unescaped "+" in an email address arrives as a space.
			target = strings.ReplaceAll(target, " ", "+")
			err = hook(id, target)
		}
		if err != nil {
			adminHookError(w, err)
			return
		}
		snap, _ := e.Contact(id)
		adminJSON(w, map[string]string{"ContactId": id, "Target": target, "Status": snap.Status})
	case "delete":
		if err := e.DeleteContact(id); err != nil {
			adminHookError(w, err)
			return
		}
		adminJSON(w, map[string]string{"ContactId": id, "Status": DeletionDeleted})
	case "faults":
		f, err := decodeFaults(io.LimitReader(r.Body, maxBodyBytes))
		if err != nil {
			adminError(w, http.StatusBadRequest, "InvalidParameter", err.Error())
			return
		}
		e.SetFaults(f)
		adminJSON(w, map[string]string{"Status": "ok"})
	case "calls":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, c := range e.Calls() {
			_ = enc.Encode(c)
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = w.Write(buf.Bytes())
	case "contacts":
		adminJSON(w, e.Contacts())
	case "credentials":
		tok, err := e.IssueCredentials(q.Get("RoleArn"))
		if err != nil {
			adminError(w, http.StatusForbidden, "NoPermission.Role", err.Error())
			return
		}
		// The shape of a credentials URI's answer (ALIBABA_CLOUD_CREDENTIALS_URI).
		adminJSON(w, struct {
			Code string
			stsCredentialsJSON
		}{"Success", credentialsJSON(tok)})
	}
}

func adminHookError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		adminError(w, http.StatusNotFound, "EntityNotExists.Contact", "This Contact does not exist.")
	case errors.Is(err, ErrNothingPending):
		adminError(w, http.StatusNotFound, "EntityNotExists.Contact.Verification", "This contact verification does not exist.")
	default:
		adminError(w, http.StatusBadRequest, "InvalidParameter", err.Error())
	}
}

func adminJSON(w http.ResponseWriter, v any) {
	buf, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf)
}

func adminError(w http.ResponseWriter, status int, code, msg string) {
	buf, _ := json.Marshal(map[string]string{"Code": code, "Message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}

// jsonDuration accepts a Go duration string ("50ms") or a number of
// nanoseconds.
type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = jsonDuration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration must be a string like \"50ms\" or nanoseconds: %s", b)
	}
	*d = jsonDuration(n)
	return nil
}

// decodeFaults reads Faults from JSON; field names are those of Faults.
func decodeFaults(r io.Reader) (Faults, error) {
	var in struct {
		ThrottleRate  float64
		ErrorRate     float64
		Latency       jsonDuration
		LatencyJitter jsonDuration
		DropRate      float64
		Actions       []string
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Faults{}, fmt.Errorf("invalid faults JSON: %v", err)
	}
	for _, rate := range []float64{in.ThrottleRate, in.ErrorRate, in.DropRate} {
		if rate < 0 || rate > 1 {
			return Faults{}, fmt.Errorf("rates must be between 0 and 1")
		}
	}
	if in.Latency < 0 || in.LatencyJitter < 0 {
		return Faults{}, fmt.Errorf("durations must not be negative")
	}
	return Faults{
		ThrottleRate:  in.ThrottleRate,
		ErrorRate:     in.ErrorRate,
		Latency:       time.Duration(in.Latency),
		LatencyJitter: time.Duration(in.LatencyJitter),
		DropRate:      in.DropRate,
		Actions:       in.Actions,
	}, nil
}
