package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// keyPair is a certificate with its private key, both also kept PEM-encoded.
type keyPair struct {
	cert    *x509.Certificate
	key     *rsa.PrivateKey
	certPEM []byte
	keyPEM  []byte
}

// pki holds everything generated under DIR for one control plane instance.
type pki struct {
	ca        *keyPair
	apiserver *keyPair
	admin     *keyPair
	kcm       *keyPair
	scheduler *keyPair
	saKey     *rsa.PrivateKey
}

// Files written under DIR (relative names).
const (
	caCertFile        = "ca.crt"
	caKeyFile         = "ca.key"
	apiserverCertFile = "apiserver.crt"
	apiserverKeyFile  = "apiserver.key"
	adminCertFile     = "admin.crt"
	adminKeyFile      = "admin.key"
	kcmCertFile       = "controller-manager.crt"
	kcmKeyFile        = "controller-manager.key"
	schedCertFile     = "scheduler.crt"
	schedKeyFile      = "scheduler.key"
	saKeyFile         = "sa.key"
	saPubFile         = "sa.pub"

	adminKubeconfig = "admin.kubeconfig"
	kcmKubeconfig   = "controller-manager.kubeconfig"
	schedKubeconfig = "scheduler.kubeconfig"
)

// RSA everywhere: every client (fabric8 without BouncyCastle, curl, kubectl) reads
// PKCS#1 "RSA PRIVATE KEY" PEM files.
const rsaBits = 2048

func newSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
}

func encodeKeyPair(der []byte, key *rsa.PrivateKey) (*keyPair, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{
		cert:    cert,
		key:     key,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
	}, nil
}

// newKeyAndTemplate makes a key and a certificate template for subject, valid from an hour ago
// for ten years; the caller says what the certificate is for.
func newKeyAndTemplate(now time.Time, subject pkix.Name) (*rsa.PrivateKey, *x509.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return nil, nil, err
	}
	serial, err := newSerial()
	if err != nil {
		return nil, nil, err
	}
	return key, &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		BasicConstraintsValid: true,
	}, nil
}

func newCA(now time.Time) (*keyPair, error) {
	key, tmpl, err := newKeyAndTemplate(now, pkix.Name{CommonName: "tidemark-control-plane-ca"})
	if err != nil {
		return nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	tmpl.IsCA = true
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return encodeKeyPair(der, key)
}

func (ca *keyPair) issue(now time.Time, subject pkix.Name, usage x509.ExtKeyUsage, dnsNames []string, ips []net.IP) (*keyPair, error) {
	key, tmpl, err := newKeyAndTemplate(now, subject)
	if err != nil {
		return nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
	tmpl.DNSNames = dnsNames
	tmpl.IPAddresses = ips
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	return encodeKeyPair(der, key)
}

// generatePKI creates the CA, the serving certificate, the client certificates and the
// service-account signing key, and writes them (PEM) and the kubeconfigs under dir.
func generatePKI(dir string, serviceIP net.IP, apiserverURL string) (*pki, error) {
	now := time.Now()
	ca, err := newCA(now)
	if err != nil {
		return nil, fmt.Errorf("CA: %w", err)
	}
	p := &pki{ca: ca}
	p.apiserver, err = ca.issue(now, pkix.Name{CommonName: "kube-apiserver"}, x509.ExtKeyUsageServerAuth,
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		[]net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback, serviceIP})
	if err != nil {
		return nil, fmt.Errorf("apiserver cert: %w", err)
	}
	p.admin, err = ca.issue(now, pkix.Name{CommonName: "tidemark-admin", Organization: []string{"system:masters"}}, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("admin cert: %w", err)
	}
	p.kcm, err = ca.issue(now, pkix.Name{CommonName: "system:kube-controller-manager"}, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("controller-manager cert: %w", err)
	}
	p.scheduler, err = ca.issue(now, pkix.Name{CommonName: "system:kube-scheduler"}, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("scheduler cert: %w", err)
	}
	p.saKey, err = rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return nil, fmt.Errorf("service-account key: %w", err)
	}
	saPubDER, err := x509.MarshalPKIXPublicKey(&p.saKey.PublicKey)
	if err != nil {
		return nil, err
	}

	files := map[string][]byte{
		caCertFile:        ca.certPEM,
		caKeyFile:         ca.keyPEM,
		apiserverCertFile: p.apiserver.certPEM,
		apiserverKeyFile:  p.apiserver.keyPEM,
		adminCertFile:     p.admin.certPEM,
		adminKeyFile:      p.admin.keyPEM,
		kcmCertFile:       p.kcm.certPEM,
		kcmKeyFile:        p.kcm.keyPEM,
		schedCertFile:     p.scheduler.certPEM,
		schedKeyFile:      p.scheduler.keyPEM,
		saKeyFile:         pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(p.saKey)}),
		saPubFile:         pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: saPubDER}),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, err
		}
	}
	for name, kp := range map[string]*keyPair{adminKubeconfig: p.admin, kcmKubeconfig: p.kcm, schedKubeconfig: p.scheduler} {
		if err := writeKubeconfig(filepath.Join(dir, name), apiserverURL, ca.certPEM, kp); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// writeKubeconfig writes a self-contained kubeconfig (all certificates embedded).
func writeKubeconfig(path, server string, caPEM []byte, user *keyPair) error {
	const name = "tidemark"
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[name] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[name] = &clientcmdapi.AuthInfo{ClientCertificateData: user.certPEM, ClientKeyData: user.keyPEM}
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name, Namespace: "default"}
	cfg.CurrentContext = name
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}
