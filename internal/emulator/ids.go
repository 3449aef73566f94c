package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// hashParts hashes the seed and parts with unambiguous framing.
func (e *Emulator) hashParts(parts ...string) [32]byte {
	h := sha256.New()
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(e.cfg.Seed))
	h.Write(buf[:])
	for _, p := range parts {
		binary.BigEndian.PutUint64(buf[:], uint64(len(p)))
		h.Write(buf[:])
		h.Write([]byte(p))
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// newContactID derives a contact ID from (Seed, Name), retrying with a
// counter until the ID was never used; e.mu must be held. The ID depends only
// on the name and on the IDs already issued for that name, so concurrent Adds
// of different names get the same IDs whatever order they arrive in.
func (e *Emulator) newContactID(name string) string {
	for n := uint64(0); ; n++ {
		var nb [8]byte
		binary.BigEndian.PutUint64(nb[:], n)
		sum := e.hashParts("contact", name, string(nb[:]))
		var b strings.Builder
		b.WriteString("c-")
		for i := 0; i < 12; i++ {
			b.WriteByte(idAlphabet[int(sum[i])%len(idAlphabet)])
		}
		id := b.String()
		if !e.usedIDs[id] {
			e.usedIDs[id] = true
			return id
		}
	}
}

// nextRequestID derives a RequestId from (Seed, Action, business parameters,
// occurrence of that Action and parameters); e.mu must be held.
func (e *Emulator) nextRequestID(action string, business map[string]string) string {
	keys := make([]string, 0, len(business))
	for k := range business {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, 2+2*len(keys))
	parts = append(parts, "request", action)
	for _, k := range keys {
		parts = append(parts, k, business[k])
	}
	key := e.hashParts(parts...)
	n := e.reqCounters[key]
	e.reqCounters[key] = n + 1
	var nb [8]byte
	binary.BigEndian.PutUint64(nb[:], n)
	sum := e.hashParts(string(key[:]), string(nb[:]))
	sum[6] = sum[6]&0x0f | 0x40 // shaped like a version 4 UUID
	sum[8] = sum[8]&0x3f | 0x80
	x := strings.ToUpper(hex.EncodeToString(sum[:16]))
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
