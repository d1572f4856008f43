// Command tidemark-control-plane runs a complete Kubernetes control plane - embedded etcd,
// kube-apiserver, kube-controller-manager and kube-scheduler - in one process on 127.0.0.1,
// for the Tidemark test suite. See README.md.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
)

//go:embed audit-policy.yaml
var auditPolicy []byte

const (
	auditPolicyFile = "audit-policy.yaml"
	auditLogFile    = "audit.log"
	logFile         = "control-plane.log"

	apiserverReadyTimeout = 3 * time.Minute
	controllersTimeout    = 2 * time.Minute
	componentStopTimeout  = 20 * time.Second
	apiserverStopTimeout  = 30 * time.Second
	etcdStopTimeout       = 15 * time.Second
)

func main() {
	os.Exit(run())
}

func usage() {
	fmt.Fprintf(os.Stderr, `Usage: tidemark-control-plane --dir DIR [--v N]

Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler in this process on
127.0.0.1 (free ports), writes certificates and DIR/admin.kubeconfig, prints "ready" on stdout
when the cluster is usable and stops cleanly on SIGTERM/SIGINT.

`)
	flag.PrintDefaults()
}

func run() int {
	var dir string
	var verbosity int
	flag.Usage = usage
	flag.StringVar(&dir, "dir", "", "working directory for certificates, kubeconfigs, etcd data and logs (created if missing)")
	flag.IntVar(&verbosity, "v", 0, "klog verbosity of the components (their log goes to DIR/"+logFile+")")
	flag.Parse()
	if dir == "" || flag.NArg() != 0 {
		usage()
		return 2
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fail("resolving --dir: %v", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail("creating --dir: %v", err)
	}
	// A re-used DIR starts from scratch: new certificates, empty etcd (wiped in startEtcd),
	// no audit or log lines from an earlier run.
	for _, name := range []string{auditLogFile, logFile, "etcd.log"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return fail("removing stale %s: %v", name, err)
		}
	}
	if err := setupLogging(dir, verbosity); err != nil {
		return fail("setting up logging: %v", err)
	}
	defer klog.Flush()

	started := time.Now()
	// First signal: clean shutdown. Second signal: exit at once.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	stopRequested := make(chan struct{})
	cp := &controlPlane{dir: dir}
	go func() {
		<-signals
		if !cp.apiserverReady.Load() {
			// kube-apiserver cannot be cancelled while its post-start hooks are still running
			// (they klog.Fatal on a cancelled context), so leave at once instead: everything
			// runs in this one process, so exiting stops all of it.
			logf("signal received before kube-apiserver was ready, exiting")
			klog.Flush()
			os.Exit(0)
		}
		logf("signal received, shutting down")
		close(stopRequested)
		<-signals
		logf("second signal received, exiting immediately")
		klog.Flush()
		os.Exit(1)
	}()

	// kube-apiserver's own loopback and the components' clients should not log API warnings.
	rest.SetDefaultWarningHandler(rest.NoWarnings{})

	err = cp.start(stopRequested)
	if err == nil {
		logf("ready after %s: %s, kubeconfig %s", time.Since(started).Round(time.Millisecond), cp.url, filepath.Join(dir, adminKubeconfig))
		fmt.Fprintln(os.Stdout, "ready")
		_ = os.Stdout.Sync()
		err = cp.wait(stopRequested)
	}
	cp.stop()
	if err != nil && !errors.Is(err, errStopRequested) {
		return fail("%v", err)
	}
	logf("stopped")
	return 0
}

var errStopRequested = errors.New("stop requested")

func fail(format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	klog.Error(msg)
	klog.Flush()
	fmt.Fprintln(os.Stderr, "tidemark-control-plane: error: "+msg)
	return 1
}

// logf writes a progress line to stderr and to the component log.
func logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	klog.InfoDepth(1, msg)
	fmt.Fprintln(os.Stderr, "tidemark-control-plane: "+msg)
}

// setupLogging sends all klog output (every component) to DIR/control-plane.log and only
// errors to stderr. stdout is reserved for the single "ready" line.
func setupLogging(dir string, verbosity int) error {
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	for k, v := range map[string]string{
		"logtostderr":      "false",
		"alsologtostderr":  "false",
		"log_file":         filepath.Join(dir, logFile),
		"stderrthreshold":  "ERROR",
		"one_output":       "true",
		"skip_log_headers": "true",
		"v":                strconv.Itoa(verbosity),
	} {
		if err := fs.Set(k, v); err != nil {
			return fmt.Errorf("klog flag %s: %w", k, err)
		}
	}
	return nil
}

type controlPlane struct {
	dir string
	url string
	pki *pki

	// apiserverReady is set once kube-apiserver answered /readyz; before that a signal
	// makes the process exit at once instead of shutting down gracefully.
	apiserverReady atomic.Bool

	stopEtcd func()

	apiCancel context.CancelFunc
	apiDone   chan error

	compCancel context.CancelFunc
	compDone   map[string]chan error
}

func (cp *controlPlane) start(stopRequested <-chan struct{}) error {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening on 127.0.0.1: %w", err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	cp.url = fmt.Sprintf("https://127.0.0.1:%d", port)

	serviceIP := net.ParseIP("10.96.0.1")
	cp.pki, err = generatePKI(cp.dir, serviceIP, cp.url)
	if err != nil {
		listener.Close()
		return fmt.Errorf("generating certificates: %w", err)
	}
	if err := os.WriteFile(filepath.Join(cp.dir, auditPolicyFile), auditPolicy, 0o600); err != nil {
		listener.Close()
		return err
	}

	etcd, etcdURL, err := startEtcd(cp.dir)
	if err != nil {
		listener.Close()
		return err
	}
	cp.stopEtcd = func() {
		done := make(chan struct{})
		go func() { etcd.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(etcdStopTimeout):
			logf("warning: etcd did not stop within %s", etcdStopTimeout)
		}
	}
	klog.Infof("etcd ready at %s", etcdURL)

	apiCtx, apiCancel := context.WithCancel(context.Background())
	cp.apiCancel = apiCancel
	apiOpts, err := prepareAPIServer(apiCtx, cp.dir, listener, etcdURL)
	if err != nil {
		listener.Close()
		return fmt.Errorf("kube-apiserver options: %w", err)
	}
	cp.apiDone = make(chan error, 1)
	go func() { cp.apiDone <- runAPIServer(apiCtx, apiOpts) }()

	if err := cp.waitAPIServerReady(stopRequested); err != nil {
		return err
	}
	cp.apiserverReady.Store(true)

	compCtx, compCancel := context.WithCancel(context.Background())
	cp.compCancel = compCancel
	cp.compDone = map[string]chan error{}
	kcmRun, err := prepareControllerManager(compCtx, cp.dir)
	if err != nil {
		return fmt.Errorf("kube-controller-manager: %w", err)
	}
	schedRun, err := prepareScheduler(compCtx, cp.dir)
	if err != nil {
		return fmt.Errorf("kube-scheduler: %w", err)
	}
	for name, runFn := range map[string]func(context.Context) error{
		"kube-controller-manager": kcmRun,
		"kube-scheduler":          schedRun,
	} {
		done := make(chan error, 1)
		cp.compDone[name] = done
		go func() { done <- runFn(compCtx) }()
	}

	return cp.waitControllersWorking(stopRequested)
}

// componentExited reports a component that stopped on its own (nil when none has).
func (cp *controlPlane) componentExited() error {
	select {
	case err := <-cp.apiDone:
		cp.apiDone = nil
		return fmt.Errorf("kube-apiserver exited: %v", err)
	default:
	}
	for name, done := range cp.compDone {
		select {
		case err := <-done:
			delete(cp.compDone, name)
			return fmt.Errorf("%s exited: %v", name, err)
		default:
		}
	}
	return nil
}

func (cp *controlPlane) waitAPIServerReady(stopRequested <-chan struct{}) error {
	roots := x509.NewCertPool()
	roots.AddCert(cp.pki.ca.cert)
	client := &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: roots,
			Certificates: []tls.Certificate{{
				Certificate: [][]byte{cp.pki.admin.cert.Raw},
				PrivateKey:  cp.pki.admin.key,
			}},
		}},
	}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(apiserverReadyTimeout)
	for {
		resp, err := client.Get(cp.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := cp.componentExited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("kube-apiserver /readyz not OK within %s", apiserverReadyTimeout)
		}
		select {
		case <-stopRequested:
			return errStopRequested
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitControllersWorking waits until the controller-manager has visibly started working: the
// serviceaccount controller has created the "default" ServiceAccount in the "default" namespace.
func (cp *controlPlane) waitControllersWorking(stopRequested <-chan struct{}) error {
	cfg := &rest.Config{
		Host: cp.url,
		TLSClientConfig: rest.TLSClientConfig{
			CAData:   cp.pki.ca.certPEM,
			CertData: cp.pki.admin.certPEM,
			KeyData:  cp.pki.admin.keyPEM,
		},
		Timeout: 5 * time.Second,
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(controllersTimeout)
	for {
		_, err := client.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(context.Background(), "default", metav1.GetOptions{})
		if err == nil {
			return nil
		}
		if !apierrors.IsNotFound(err) {
			klog.Warningf("waiting for the default ServiceAccount: %v", err)
		}
		if err := cp.componentExited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the controller-manager did not create the default ServiceAccount within %s", controllersTimeout)
		}
		select {
		case <-stopRequested:
			return errStopRequested
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// wait blocks until a stop is requested or a component exits on its own.
func (cp *controlPlane) wait(stopRequested <-chan struct{}) error {
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-stopRequested:
			return errStopRequested
		case <-ticker.C:
			if err := cp.componentExited(); err != nil {
				return err
			}
		}
	}
}

// stop shuts everything down in reverse order: controllers, apiserver, etcd.
func (cp *controlPlane) stop() {
	if cp.compCancel != nil {
		cp.compCancel()
		deadline, cancel := context.WithTimeout(context.Background(), componentStopTimeout)
		for name, done := range cp.compDone {
			select {
			case err := <-done:
				klog.Infof("%s stopped: %v", name, err)
			case <-deadline.Done():
				logf("warning: %s did not stop within %s", name, componentStopTimeout)
			}
		}
		cancel()
	}
	if cp.apiCancel != nil {
		cp.apiCancel()
		if cp.apiDone != nil {
			select {
			case err := <-cp.apiDone:
				if err != nil {
					klog.Infof("kube-apiserver stopped: %v", err)
				}
			case <-time.After(apiserverStopTimeout):
				logf("warning: kube-apiserver did not stop within %s", apiserverStopTimeout)
			}
		}
	}
	if cp.stopEtcd != nil {
		cp.stopEtcd()
	}
	klog.Flush()
}
