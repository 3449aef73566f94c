package rdclient

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// RegionPattern returns the pattern of an Alibaba Cloud region ID such as
// "cn-shanghai" or "ap-southeast-1", compiled on first use.
var RegionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`) })

// ParseEndpoint parses a Resource Directory endpoint: a full http or https
// URL with a host (and optionally a port) and nothing else, such as
// "https://resourcedirectory.aliyuncs.com" or "http://127.0.0.1:8080".
// The error says what is wrong and how to fix it, for a message that
// names the endpoint.
func ParseEndpoint(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, errors.New("the endpoint is empty")
	}
	if !strings.Contains(endpoint, "://") {
		return nil, errors.New("the scheme is missing: start it with https:// (or http:// for a local emulator)")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, errors.New("not a URL (" + err.Error() + ")")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("the scheme must be http or https")
	case u.Hostname() == "":
		return nil, errors.New("the host is missing")
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "":
		return nil, errors.New("the URL must not have a path or query")
	case u.User != nil:
		return nil, errors.New("the URL must not carry user information: configure credentials separately")
	case u.Fragment != "":
		return nil, errors.New("the URL must not have a fragment")
	}
	return u, nil
}
