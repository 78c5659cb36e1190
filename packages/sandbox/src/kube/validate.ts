import type { ResourceType } from './resources.ts';
import { invalid } from './status.ts';
import type { Admit, KubeObject } from './store.ts';
import {
  type Cause,
  type KindRule,
  destinationRule,
  httpRoute,
  isNonNegativeInt,
  isRecord,
  traefikService,
  trafficSplit,
  virtualService,
} from './validate-routing.ts';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

// The API server's wording, so messages read as a real cluster's would.
const subdomainHelp =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const labelHelp =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1035Help =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

function checkName(kind: string, name: string, causes: Cause[]): void {
  const field = 'metadata.name';
  if (kind === 'Namespace') {
    if (name.length > 63 || !dns1123Label.test(name))
      causes.push({ field, message: `Invalid value: "${name}": ${labelHelp}` });
  } else if (kind === 'Service') {
    if (name.length > 63 || !dns1035Label.test(name))
      causes.push({ field, message: `Invalid value: "${name}": ${dns1035Help}` });
  } else if (name.length > 253 || !dns1123Subdomain.test(name)) {
    causes.push({ field, message: `Invalid value: "${name}": ${subdomainHelp}` });
  }
}

function validKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !dns1123Subdomain.test(prefix))) return false;
  return name.length <= 63 && qualifiedName.test(name);
}

function checkMetadata(obj: KubeObject, causes: Cause[]): void {
  const { labels, annotations } = obj.metadata;
  if (labels !== undefined && (typeof labels !== 'object' || labels === null || Array.isArray(labels))) {
    causes.push({ field: 'metadata.labels', message: 'Invalid value: labels must be a map of strings' });
  } else {
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (!validKey(key))
        causes.push({
          field: 'metadata.labels',
          message: `Invalid value: "${key}": name part must be 63 characters or less and match ${qualifiedName.source}`,
        });
      if (typeof value !== 'string' || value.length > 63 || (value !== '' && !qualifiedName.test(value))) {
        causes.push({
          field: `metadata.labels`,
          message: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        });
      }
    }
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!validKey(key))
      causes.push({
        field: 'metadata.annotations',
        message: `Invalid value: "${key}": not a qualified name`,
      });
    if (typeof value !== 'string')
      causes.push({
        field: `metadata.annotations`,
        message: `Invalid value: annotation "${key}" must be a string`,
      });
  }
}

const deployment: KindRule = (obj, old, causes) => {
  if (!isRecord(obj.spec)) {
    causes.push({ field: 'spec', message: 'Required value' });
    return;
  }
  // The shape is what is being checked here, so the spec is read loosely.
  const spec: KubeObject['spec'] = obj.spec;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  if (spec.strategy.type === undefined) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...spec.strategy.rollingUpdate };
  } else if (spec.strategy.type !== 'Recreate') {
    causes.push({
      field: 'spec.strategy.type',
      message: `Unsupported value: "${spec.strategy.type}": supported values: "Recreate", "RollingUpdate"`,
    });
  }
  if (!isNonNegativeInt(spec.replicas))
    causes.push({ field: 'spec.replicas', message: 'Invalid value: must be greater than or equal to 0' });

  const matchLabels = spec.selector?.matchLabels;
  const templateLabels = spec.template?.metadata?.labels;
  if (!isRecord(matchLabels) || Object.keys(matchLabels).length === 0) {
    causes.push({
      field: 'spec.selector',
      message: 'Required value: spec.selector.matchLabels must name at least one label',
    });
  } else if (
    !isRecord(templateLabels) ||
    Object.entries(matchLabels).some(([k, v]) => templateLabels[k] !== v)
  ) {
    causes.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${JSON.stringify(templateLabels ?? {})}: \`selector\` does not match template \`labels\``,
    });
  }
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)) {
    causes.push({
      field: 'spec.selector',
      message: `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable`,
    });
  }

  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ field: 'spec.template.spec.containers', message: 'Required value' });
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c: unknown, i) => {
    const field = `spec.template.spec.containers[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string' || !dns1123Label.test(c.name)) {
      causes.push({
        field: `${field}.name`,
        message: 'Required value: a container needs a DNS-1123 label as name',
      });
    } else if (seen.has(c.name)) {
      causes.push({ field: `${field}.name`, message: `Duplicate value: "${c.name}"` });
    } else {
      seen.add(c.name);
    }
    if (!isRecord(c) || typeof c.image !== 'string' || c.image.trim() === '') {
      causes.push({ field: `${field}.image`, message: 'Required value' });
    }
  });
};

function createServiceRule(): KindRule {
  let next = 10;
  return (obj, old, causes) => {
    if (!isRecord(obj.spec)) obj.spec = {};
    const spec = obj.spec;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(spec.type)) {
      causes.push({ field: 'spec.type', message: `Unsupported value: "${spec.type}"` });
    }
    // The cluster IP is allocated once and then immutable, as on a real cluster.
    const oldIp = old?.spec?.clusterIP;
    if (oldIp !== undefined && spec.clusterIP !== undefined && spec.clusterIP !== oldIp) {
      causes.push({
        field: 'spec.clusterIP',
        message: `Invalid value: "${spec.clusterIP}": field is immutable`,
      });
    }
    if (spec.type !== 'ExternalName') {
      spec.clusterIP ??= oldIp ?? `10.96.${Math.floor(next / 250) % 256}.${(next++ % 250) + 1}`;
      spec.clusterIPs ??= [spec.clusterIP];
    }
    if (spec.type === 'ExternalName') return;
    if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
      causes.push({ field: 'spec.ports', message: 'Required value' });
      return;
    }
    spec.ports.forEach((p: unknown, i: number) => {
      const field = `spec.ports[${i}]`;
      if (!isRecord(p)) {
        causes.push({ field, message: 'Invalid value: must be an object' });
        return;
      }
      if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
        causes.push({
          field: `${field}.port`,
          message: `Invalid value: ${JSON.stringify(p.port)}: must be between 1 and 65535, inclusive`,
        });
      }
      if (spec.ports.length > 1 && typeof p.name !== 'string')
        causes.push({ field: `${field}.name`, message: 'Required value' });
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    });
  };
}

const namespace: KindRule = (obj) => {
  obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
  obj.spec ??= { finalizers: ['kubernetes'] };
  obj.status ??= { phase: 'Active' };
};

/**
 * Admission for the sandbox's kinds: defaulting, then validation that rejects the whole write
 * with a 422 listing every problem found, as the API server does.
 */
export function createAdmit(): Admit {
  const rules: Readonly<Record<string, KindRule>> = {
    Namespace: namespace,
    Deployment: deployment,
    Service: createServiceRule(),
    VirtualService: virtualService,
    DestinationRule: destinationRule,
    HTTPRoute: httpRoute,
    TrafficSplit: trafficSplit,
    TraefikService: traefikService,
  };
  return (rt: ResourceType, obj: KubeObject, old: KubeObject | undefined) => {
    const causes: Cause[] = [];
    const name = obj.metadata?.name ?? '';
    checkName(rt.kind, name, causes);
    checkMetadata(obj, causes);
    rules[rt.kind]?.(obj, old, causes);
    if (causes.length > 0) throw invalid(rt.kind, rt.group, name, causes);
  };
}

/** The admission the sandbox's store uses. */
export const admit: Admit = createAdmit();
