package acctest

import "testing"

func TestProviderBlock(t *testing.T) {
	const want = `
provider "alicloudrd" {
  endpoint   = "http://127.0.0.1:8080"
  access_key = "LTAI5tSomeKey"
  secret_key = "a \"quoted\" secret"
  max_retries = 0
}
`
	if got := ProviderBlock("http://127.0.0.1:8080", "LTAI5tSomeKey", `a "quoted" secret`, "  max_retries = 0"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestServerProviderBlock(t *testing.T) {
	s := &Server{URL: "http://127.0.0.1:1"}
	if got, want := s.ProviderBlockWith("  region = \"cn-hangzhou\""), ProviderBlock(s.URL, AccessKeyID, AccessKeySecret, "  region = \"cn-hangzhou\""); got != want {
		t.Errorf("Server.ProviderBlockWith:\n got %s\nwant %s", got, want)
	}
	if got, want := s.Config("# rest\n"), ProviderBlock(s.URL, AccessKeyID, AccessKeySecret, "")+"# rest\n"; got != want {
		t.Errorf("Server.Config:\n got %s\nwant %s", got, want)
	}
}
