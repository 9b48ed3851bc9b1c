package app

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPath finds Debian's chromium (tools/test installs it). Without one
// the test is skipped, except where OWNERCHECK_REQUIRE_BROWSER is set (CI),
// where a missing browser is a failure, not a silent skip.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("OWNERCHECK_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium on PATH and OWNERCHECK_REQUIRE_BROWSER is set (tools/test installs it)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// headless starts a headless browser for one test.
func headless(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox, // root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		// The machine has no network: no background connections.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// Issue 10 (the integrator): the onboarding demo, driven end to end in a
// real browser: the identity form, POST /v1/sessions, the sandbox's link
// page, back to the demo, POST /v1/verdicts with the session id (polling
// politely through the pending refresh), and the verdict on the page.
func TestDemoInBrowser(t *testing.T) {
	ctx := headless(t)
	a := start(t, baseConfig(t), &syncBuffer{})
	base := "http://" + a.Addr()

	link := chromedp.CSS(`form:has(input[value="good"]) button`)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/sandbox/demo"),
		chromedp.WaitVisible(chromedp.ID("start")),
		chromedp.SetValue(chromedp.ID("apikey"), apiKey),
		chromedp.Click(chromedp.ID("start")),
		// The sandbox's link page stands in for Stripe's modal.
		chromedp.WaitVisible(link),
	)
	if err != nil {
		t.Fatalf("driving the demo to the link step: %v", err)
	}
	linkURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	// Back on the demo, which asks for the verdict until it is decided.
	if err := chromedp.Do(ctx, chromedp.Click(link), chromedp.WaitVisible(chromedp.ID("decision"))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
		t.Fatalf("waiting for the verdict: %v (the page says %q)", err, status)
	}
	decision, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("decision")))
	if err != nil {
		t.Fatal(err)
	}
	reasons, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".reasons")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(linkURL, "/sandbox/link/fcsess_") {
		t.Errorf("the link step was %s, want the sandbox link page for the session", linkURL)
	}
	if decision != "pass" {
		t.Errorf("the demo shows decision %q, want pass (the good bank and the form's default identity)", decision)
	}
	if strings.TrimSpace(reasons) == "" {
		t.Error("the demo shows no reasons")
	}
}
