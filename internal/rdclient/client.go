package rdclient

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Defaults applied by New to zero (or negative) Config fields.
const (
	DefaultMaxRetries = 5
	DefaultMinBackoff = 200 * time.Millisecond
	DefaultMaxBackoff = 10 * time.Second
	DefaultPageSize   = 100
	DefaultTimeout    = 30 * time.Second

	// maxPages bounds the ListAll* helpers so that a server that ignores
	// PageNumber cannot make them loop forever.
	maxPages = 1000
)

// Config configures a Client.
type Config struct {
	// Endpoint is a full URL such as "https://resourcedirectory.aliyuncs.com"
	// or "http://127.0.0.1:PORT", as ParseEndpoint accepts it.
	Endpoint string
	// RegionID is sent as the RegionId parameter, e.g. "cn-shanghai"; when
	// set, it must match RegionPattern.
	RegionID string
	// Credential is any credential accepted by the SDK
	// (see github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth), for example
	// the result of NewCredential.
	Credential auth.Credential
	// MaxRetries is the number of retries after the first attempt:
	// 0 disables retries, a negative value selects DefaultMaxRetries.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the sleep between retries
	// (defaults DefaultMinBackoff and DefaultMaxBackoff).
	MinBackoff, MaxBackoff time.Duration
	// PageSize is the page size used by the ListAll* helpers
	// (default DefaultPageSize).
	PageSize int
	// Timeout bounds every single HTTP attempt (default DefaultTimeout).
	Timeout time.Duration
	// UserAgent is sent first in the User-Agent header, before the SDK's
	// own ("AlibabaCloud (linux; amd64) Golang/1.27.3 Core/0.0.1").
	UserAgent string
}

// Client is the Resource Directory API client. It is safe for concurrent use.
type Client struct {
	cfg       Config
	scheme    string // "HTTP" or "HTTPS", as the SDK expects
	domain    string // host[:port]
	creds     credentials.CredentialsProvider
	transport http.RoundTripper
	// writes counts the write calls (WriteActions) begun and ended.
	writes atomic.Uint64
}

// Writes counts the calls that change the directory this client has begun
// and ended (each counts twice: when it begins and when it ends). A reader
// that saw the same count before and after its own read knows that no write
// of this client overlapped it or came after it.
func (c *Client) Writes() uint64 { return c.writes.Load() }

// New validates cfg, applies defaults and returns a Client. It makes no
// network call.
func New(cfg Config) (*Client, error) {
	u, err := ParseEndpoint(strings.TrimSpace(cfg.Endpoint))
	if err != nil {
		return nil, fmt.Errorf("rdclient: invalid endpoint: %w", err)
	}
	if cfg.RegionID != "" && !RegionPattern().MatchString(cfg.RegionID) {
		return nil, fmt.Errorf("rdclient: region %q is not an Alibaba Cloud region ID such as cn-shanghai", cfg.RegionID)
	}
	if cfg.Credential == nil {
		return nil, errors.New("rdclient: no credential given")
	}
	provider, err := auth.ToCredentialsProvider(cfg.Credential)
	if err != nil {
		return nil, fmt.Errorf("rdclient: unsupported credential: %w", err)
	}

	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}

	defaultTransport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("http.DefaultTransport is a %T, not an *http.Transport; cannot build the client's transport", http.DefaultTransport)
	}
	base := defaultTransport.Clone()
	base.MaxIdleConnsPerHost = 16
	base.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext

	return &Client{
		cfg:       cfg,
		scheme:    strings.ToUpper(u.Scheme),
		domain:    u.Host,
		creds:     &lockedProvider{inner: provider},
		transport: base,
	}, nil
}

// lockedProvider serialises access to an SDK credentials provider: the
// SDK's providers cache session credentials without synchronisation.
type lockedProvider struct {
	mu    sync.Mutex
	inner credentials.CredentialsProvider
}

func (p *lockedProvider) GetCredentials() (*credentials.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inner.GetCredentials()
}

func (p *lockedProvider) GetProviderName() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inner.GetProviderName()
}

// ctxRoundTripper ties every HTTP request of one attempt to the attempt's
// context (the SDK builds its requests without a context) and puts userAgent
// in front of the SDK's User-Agent.
type ctxRoundTripper struct {
	ctx       context.Context
	base      http.RoundTripper
	userAgent string
}

func (t *ctxRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	merged, cancel := context.WithCancelCause(req.Context())
	// Released when the attempt context ends, which the caller guarantees
	// once the response body has been read.
	context.AfterFunc(t.ctx, func() { cancel(context.Cause(t.ctx)) })
	out := req.WithContext(merged)
	if t.userAgent != "" {
		out.Header = req.Header.Clone()
		out.Header.Set("User-Agent", strings.TrimSpace(t.userAgent+" "+req.Header.Get("User-Agent")))
	}
	return t.base.RoundTrip(out)
}

// params holds the business parameters of one request.
type params map[string]string

func (p params) set(key, value string) { p[key] = value }

func (p params) setIfNotEmpty(key, value string) {
	if value != "" {
		p[key] = value
	}
}

func (p params) setInt(key string, value int) {
	if value != 0 {
		p[key] = strconv.Itoa(value)
	}
}

// setList flattens values 1-based: key.1, key.2, ...
func (p params) setList(key string, values []string) {
	for i, v := range values {
		p[key+"."+strconv.Itoa(i+1)] = v
	}
}

// call performs action with retries and returns the successful response body.
// When an attempt got no answer (the request may have been applied and its
// response lost) and the call fails, the error says so: MayHaveBeenApplied.
func (c *Client) call(ctx context.Context, action string, p params) (_ []byte, callErr error) {
	if slices.Contains(WriteActions, action) {
		c.writes.Add(1)
		defer c.writes.Add(1)
	}
	unanswered := false
	defer func() {
		if callErr != nil && unanswered {
			callErr = &possiblyAppliedError{err: callErr}
		}
	}()
	start := time.Now()
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			if lastErr == nil {
				return nil, fmt.Errorf("%s: %w", action, err)
			}
			return nil, &attemptsError{action: action, attempts: attempt - 1, reason: "context ended", last: lastErr, ctxErr: err}
		}
		attemptStart := time.Now()
		body, status, err := c.attempt(ctx, action, p)
		if IsTransportError(err) {
			unanswered = true
		}
		fields := map[string]any{
			"action":           action,
			"attempt":          attempt,
			"http_status":      status,
			"elapsed_ms":       time.Since(attemptStart).Milliseconds(),
			"total_elapsed_ms": time.Since(start).Milliseconds(),
		}
		if err == nil {
			fields["request_id"] = requestIDOf(body)
			tflog.Debug(ctx, "Resource Directory API call succeeded", fields)
			return body, nil
		}

		var apiErr *APIError
		if errors.As(err, &apiErr) {
			fields["code"] = apiErr.Code
			fields["request_id"] = apiErr.RequestID
		} else {
			fields["error"] = err.Error()
		}

		// The caller's context ended during the attempt: stop.
		if ctxErr := ctx.Err(); ctxErr != nil {
			tflog.Debug(ctx, "Resource Directory API call failed", fields)
			return nil, &attemptsError{action: action, attempts: attempt, reason: "context ended", last: err, ctxErr: ctxErr}
		}

		retryable := IsRetryable(err) || isRetryableTransport(err)
		fields["retryable"] = retryable
		tflog.Debug(ctx, "Resource Directory API call failed", fields)
		if !retryable {
			return nil, err
		}
		lastErr = err
		if attempt > c.cfg.MaxRetries {
			if attempt == 1 {
				return nil, err
			}
			return nil, &attemptsError{action: action, attempts: attempt, reason: "retries exhausted", last: err}
		}
		if giveUp := c.waitToRetry(ctx, action, attempt, err); giveUp != nil {
			return nil, giveUp
		}
	}
}

// waitToRetry sleeps the backoff after attempt number `attempt`, which
// failed with lastErr. It returns the error to give up with instead when
// the sleep would pass the context's deadline or the context ends.
func (c *Client) waitToRetry(ctx context.Context, action string, attempt int, lastErr error) error {
	sleep := c.backoff(attempt)
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(sleep).After(deadline) {
		return &attemptsError{action: action, attempts: attempt, reason: "the next retry would pass the context deadline", last: lastErr}
	}
	tflog.Debug(ctx, "Resource Directory API call will be retried", map[string]any{
		"action":     action,
		"attempt":    attempt,
		"backoff_ms": sleep.Milliseconds(),
	})
	timer := time.NewTimer(sleep)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return &attemptsError{action: action, attempts: attempt, reason: "context ended", last: lastErr, ctxErr: ctx.Err()}
	case <-timer.C:
		return nil
	}
}

// backoff returns the sleep before retry number `retry` (1-based): full
// jitter between MinBackoff and min(MaxBackoff, MinBackoff*2^retry).
func (c *Client) backoff(retry int) time.Duration {
	lo, hi := c.cfg.MinBackoff, c.cfg.MaxBackoff
	ceiling := lo
	for i := 0; i < retry && ceiling < hi; i++ {
		ceiling *= 2
	}
	if ceiling > hi {
		ceiling = hi
	}
	if ceiling <= lo {
		return lo
	}
	return lo + time.Duration(rand.Int64N(int64(ceiling-lo)+1))
}

// attempt sends one signed request. A fresh CommonRequest (new nonce,
// timestamp and signature) and a fresh SDK client are built per attempt so
// that the attempt's context reaches the HTTP layer and concurrent calls do
// not share mutable SDK state.
func (c *Client) attempt(ctx context.Context, action string, p params) ([]byte, int, error) {
	// Fetch credentials first so that a credential failure is not mistaken
	// for an answer of the Resource Directory API, and sign with exactly
	// these: temporary ones are renewed here, before they expire.
	cc, err := c.creds.GetCredentials()
	if err != nil {
		return nil, 0, &credentialError{action: action, err: err}
	}
	var signer credentials.CredentialsProvider = credentials.NewStaticAKCredentialsProvider(cc.AccessKeyId, cc.AccessKeySecret)
	if cc.SecurityToken != "" {
		signer = credentials.NewStaticSTSCredentialsProvider(cc.AccessKeyId, cc.AccessKeySecret, cc.SecurityToken)
	}

	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	sdkCfg := sdk.NewConfig()
	sdkCfg.AutoRetry = false
	sdkCfg.MaxRetryTime = 0
	sdkCfg.Timeout = c.cfg.Timeout
	sdkCfg.Scheme = c.scheme
	sdkCfg.Transport = &ctxRoundTripper{ctx: attemptCtx, base: c.transport, userAgent: c.cfg.UserAgent}
	client, err := sdk.NewClientWithOptions(c.cfg.RegionID, sdkCfg, signer)
	if err != nil {
		return nil, 0, &transportError{action: action, err: err}
	}

	req := requests.NewCommonRequest()
	req.Method = requests.POST
	req.Scheme = c.scheme
	req.Domain = c.domain
	req.Product = Product
	req.Version = APIVersion
	req.ApiName = action
	req.AcceptFormat = "JSON"
	for k, v := range p {
		req.FormParams[k] = v
	}

	resp, err := client.ProcessCommonRequest(req)
	if err != nil {
		var serverErr *sdkerrors.ServerError
		if errors.As(err, &serverErr) {
			return nil, serverErr.HttpStatus(), apiErrorFrom(action, serverErr)
		}
		if attemptCtx.Err() != nil && ctx.Err() == nil {
			return nil, 0, &transportError{action: action, err: sanitizeErr(err), attemptTimeout: true}
		}
		return nil, 0, &transportError{action: action, err: sanitizeErr(err)}
	}
	return responseBody(resp), resp.GetHttpStatus(), nil
}

func responseBody(resp *responses.CommonResponse) []byte {
	return resp.GetHttpContentBytes()
}

// apiErrorFrom converts an SDK server error. The SignatureDoesNotMatch
// message carries the server's string to sign, which includes the
// AccessKeyId and any SecurityToken: it is cut off, and the SDK's hint on
// what is wrong (kept in Recommend) is kept.
func apiErrorFrom(action string, se *sdkerrors.ServerError) *APIError {
	msg := se.Message()
	if i := strings.Index(msg, sdkerrors.MessageContain); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	code := se.ErrorCode()
	if code == "" {
		// Not an API error body (for example a proxy's HTML page).
		msg = truncate(scrubText(msg), 300)
	}
	return &APIError{
		Action:     action,
		Code:       code,
		HTTPStatus: se.HttpStatus(),
		Message:    msg,
		RequestID:  se.RequestId(),
		Recommend:  scrubParams(se.Recommend()),
	}
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
