package emulator

import (
	"net/url"
	"testing"
)

// BenchmarkSignatureCheck measures the signature verification of a typical
// SDK request: canonicalisation, HMAC-SHA1 and comparison.
func BenchmarkSignatureCheck(b *testing.B) {
	vals := signedValues("POST", testKeyID, map[string]string{
		"Action": "UpdateMessageContact", "ContactId": "c-qL4HqKONzOM7", "EmailAddress": "dm.ldm@gmail.com",
		"PhoneNumber": "86-13912341234", "Title": "TechnicalDirector", "MessageTypes.1": "ServiceMessage", "MessageTypes.2": "FaultMessage",
	}, fuzzEpoch)
	sig := vals.Get("Signature")
	params := url.Values{}
	for k, v := range vals {
		if k != "Signature" {
			params[k] = v
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if !signatureMatches(Sign(StringToSign("POST", params), testSecret), sig) {
			b.Fatal("signature mismatch")
		}
	}
}

// BenchmarkServeSigned measures full round trips: the official SDK signs a
// GetMessageContact, the emulator checks it and answers over loopback HTTP.
func BenchmarkServeSigned(b *testing.B) {
	v := newEnv(b, Config{})
	id := v.addContact("Bench", "bench@example.com", "86-13912341234")
	params := map[string]string{"ContactId": id}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.call("GetMessageContact", params); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkServeSignedParallel is BenchmarkServeSigned with one SDK client
// per goroutine.
func BenchmarkServeSignedParallel(b *testing.B) {
	v := newEnv(b, Config{})
	id := v.addContact("Bench", "bench@example.com", "86-13912341234")
	params := map[string]string{"ContactId": id}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c, err := newKeyClient(testKeyID, testSecret)
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if _, err := v.callWith(c, "POST", "GetMessageContact", nil, params); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
