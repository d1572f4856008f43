{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "tidemark.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources. */}}
{{- define "tidemark.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tidemark.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "tidemark.labels" -}}
helm.sh/chart: {{ include "tidemark.chart" . }}
{{ include "tidemark.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tidemark
{{- end }}

{{/* Labels that select the operator's pods. */}}
{{- define "tidemark.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tidemark.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "tidemark.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tidemark.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Namespace of the leader-election Lease. */}}
{{- define "tidemark.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{- define "tidemark.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The operator's rules on namespaced resources: the same in the ClusterRole and in each
watched namespace's Role. Deliberately no rule for secrets: Jobs get credentials through
secretKeyRef, and the operator never reads a Secret.
*/}}
{{- define "tidemark.rules" -}}
# Exactly what the operator calls; testing/cluster-tests (RbacAuditIT) compares it with the
# audit log of a real API server. A grant the tests do not exercise says why it is here.
- apiGroups: ["db.tidemark.io"]
  resources: ["databaseschemas"]
  verbs: ["list", "watch"]
- apiGroups: ["db.tidemark.io"]
  resources: ["databaseschemas/status"]
  verbs: ["patch"]
# unused-in-tests: db.tidemark.io/databaseschemas/finalizers update: not a call; OwnerReferencesPermissionEnforcement asks for it to create Jobs with blockOwnerDeletion on their DatabaseSchema
- apiGroups: ["db.tidemark.io"]
  resources: ["databaseschemas/finalizers"]
  verbs: ["update"]
# unused-in-tests: batch/jobs get: a change Job missing from the informer cache is looked up once before it is reported deleted
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["list", "watch"]
# unused-in-tests: argoproj.io/rollouts list,watch: watched only where Argo Rollouts is installed (TIDEMARK_ARGO_ROLLOUTS); the test control plane has none
- apiGroups: ["argoproj.io"]
  resources: ["rollouts"]
  verbs: ["list", "watch"]
{{- end }}

{{/* The rule on the leader-election Lease. */}}
{{- define "tidemark.leaseRules" -}}
# unused-in-tests: coordination.k8s.io/leases update: java-operator-sdk will not start without it (it checks get, create and update); fabric8 renews the Lease with patch
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}
