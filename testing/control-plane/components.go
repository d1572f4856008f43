package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"

	"github.com/spf13/pflag"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/cache"
	cliflag "k8s.io/component-base/cli/flag"

	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	apiserveroptions "k8s.io/kubernetes/cmd/kube-apiserver/app/options"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kcmoptions "k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
	schedulerapp "k8s.io/kubernetes/cmd/kube-scheduler/app"
	scheduleroptions "k8s.io/kubernetes/cmd/kube-scheduler/app/options"
)

const serviceClusterIPRange = "10.96.0.0/16"

// kcmControllers: every default controller except those that only make sense with real
// (heart-beating) nodes or node CIDR allocation.
const kcmControllers = "*,-node-lifecycle-controller,-node-ipam-controller,-taint-eviction-controller,-device-taint-eviction-controller"

func parseInto(name string, sets cliflag.NamedFlagSets, args []string) error {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	for _, f := range sets.FlagSets {
		fs.AddFlagSet(f)
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s flags: %w", name, err)
	}
	return nil
}

// prepareAPIServer builds the completed kube-apiserver options; Run is called later.
func prepareAPIServer(ctx context.Context, dir string, listener net.Listener, etcdURL string) (apiserveroptions.CompletedOptions, error) {
	f := func(name string) string { return filepath.Join(dir, name) }
	s := apiserveroptions.NewServerRunOptions()
	port := listener.Addr().(*net.TCPAddr).Port
	args := []string{
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", port),
		"--advertise-address=127.0.0.1",
		// The "kubernetes" Service may not point at a loopback address, so don't maintain its endpoints.
		"--endpoint-reconciler-type=none",
		"--etcd-servers=" + etcdURL,
		"--tls-cert-file=" + f(apiserverCertFile),
		"--tls-private-key-file=" + f(apiserverKeyFile),
		"--client-ca-file=" + f(caCertFile),
		"--authorization-mode=Node,RBAC",
		// Added to the default set (NamespaceLifecycle, ServiceAccount, PodSecurity, TaintNodesByCondition, ...).
		"--enable-admission-plugins=OwnerReferencesPermissionEnforcement",
		"--allow-privileged=true",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + f(saPubFile),
		"--service-account-signing-key-file=" + f(saKeyFile),
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--audit-policy-file=" + f(auditPolicyFile),
		"--audit-log-path=" + f(auditLogFile),
		"--audit-log-format=json",
		"--audit-log-mode=blocking",
		"--audit-log-maxsize=0",
		"--audit-log-maxbackup=0",
		"--audit-log-maxage=0",
		"--profiling=false",
		"--cert-dir=" + f("apiserver-certs"),
	}
	if err := parseInto("kube-apiserver", s.Flags(), args); err != nil {
		return apiserveroptions.CompletedOptions{}, err
	}
	s.SecureServing.Listener = listener
	s.SecureServing.BindPort = port
	if err := s.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return apiserveroptions.CompletedOptions{}, err
	}
	informerName, err := cache.NewInformerName("kube-apiserver")
	if err != nil {
		return apiserveroptions.CompletedOptions{}, err
	}
	s.InformerName = informerName

	completed, err := s.Complete(ctx)
	if err != nil {
		return apiserveroptions.CompletedOptions{}, err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return apiserveroptions.CompletedOptions{}, utilerrors.NewAggregate(errs)
	}
	return completed, nil
}

func runAPIServer(ctx context.Context, opts apiserveroptions.CompletedOptions) error {
	return apiserverapp.Run(ctx, opts)
}

// prepareControllerManager configures kube-controller-manager and returns a function that runs
// it until ctx is cancelled.
func prepareControllerManager(ctx context.Context, dir string) (func(context.Context) error, error) {
	f := func(name string) string { return filepath.Join(dir, name) }
	s, err := kcmoptions.NewKubeControllerManagerOptions()
	if err != nil {
		return nil, err
	}
	all, disabled, aliases := kcmapp.KnownControllers(), kcmapp.ControllersDisabledByDefault(), kcmapp.ControllerAliases()
	sets := s.Flags(all, disabled, aliases)
	args := []string{
		"--kubeconfig=" + f(kcmKubeconfig),
		"--secure-port=0", // no serving endpoint: nothing to scrape, no fixed port
		"--leader-elect=false",
		"--controllers=" + kcmControllers,
		"--service-account-private-key-file=" + f(saKeyFile),
		"--root-ca-file=" + f(caCertFile),
		"--use-service-account-credentials=true",
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--profiling=false",
	}
	if err := parseInto("kube-controller-manager", sets, args); err != nil {
		return nil, err
	}
	s.ParsedFlags = &sets
	if err := s.ComponentGlobalsRegistry.Set(); err != nil {
		return nil, err
	}
	c, err := s.Config(ctx, all, disabled, aliases)
	if err != nil {
		return nil, err
	}
	completed := c.Complete()
	return func(ctx context.Context) error { return kcmapp.Run(ctx, completed) }, nil
}

// prepareScheduler configures kube-scheduler and returns a function that runs it until ctx
// is cancelled.
func prepareScheduler(ctx context.Context, dir string) (func(context.Context) error, error) {
	f := func(name string) string { return filepath.Join(dir, name) }
	opts := scheduleroptions.NewOptions()
	args := []string{
		"--kubeconfig=" + f(schedKubeconfig),
		"--secure-port=0", // no serving endpoint: nothing to scrape, no fixed port
		"--leader-elect=false",
		"--profiling=false",
	}
	if err := parseInto("kube-scheduler", *opts.Flags, args); err != nil {
		return nil, err
	}
	if err := opts.ComponentGlobalsRegistry.Set(); err != nil {
		return nil, err
	}
	informerName, err := cache.NewInformerName("kube-scheduler")
	if err != nil {
		return nil, err
	}
	opts.InformerName = informerName
	cc, sched, err := schedulerapp.Setup(ctx, opts)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error { return schedulerapp.Run(ctx, cc, sched) }, nil
}
