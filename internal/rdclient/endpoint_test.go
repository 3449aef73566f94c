package rdclient

import "testing"

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		endpoint string
		wantHost string // "" when an error is expected
		wantErr  string
	}{
		{"https://resourcedirectory.aliyuncs.com", "resourcedirectory.aliyuncs.com", ""},
		{"https://resourcedirectory.aliyuncs.com/", "resourcedirectory.aliyuncs.com", ""},
		{"HTTP://127.0.0.1:8080", "127.0.0.1:8080", ""},
		{"", "", "the endpoint is empty"},
		{"127.0.0.1:8080", "", "the scheme is missing: start it with https:// (or http:// for a local emulator)"},
		{"resourcedirectory.aliyuncs.com", "", "the scheme is missing: start it with https:// (or http:// for a local emulator)"},
		{"http://[::1", "", `not a URL (parse "http://[::1": missing ']' in host)`},
		{"ftp://example.com", "", "the scheme must be http or https"},
		{"https://", "", "the host is missing"},
		{"https://:8080", "", "the host is missing"},
		{"https://example.com/v1", "", "the URL must not have a path or query"},
		{"https://example.com//", "", "the URL must not have a path or query"},
		{"https://example.com/?a=b", "", "the URL must not have a path or query"},
		{"https://user:pass@example.com", "", "the URL must not carry user information: configure credentials separately"},
		{"https://example.com#top", "", "the URL must not have a fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			u, err := ParseEndpoint(tt.endpoint)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %v, want error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || u.Host != tt.wantHost {
				t.Fatalf("got %v, %v; want host %s", u, err, tt.wantHost)
			}
		})
	}
}

func TestRegionPattern(t *testing.T) {
	for region, want := range map[string]bool{
		"cn-shanghai": true, "ap-southeast-1": true, "cn-hangzhou-finance": true,
		"": false, "Shanghai": false, "cn shanghai": false, "cn": false, "CN-SHANGHAI": false, "cn_shanghai": false,
	} {
		if got := RegionPattern().MatchString(region); got != want {
			t.Errorf("%q: got %v, want %v", region, got, want)
		}
	}
}
