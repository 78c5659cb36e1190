import type { ResourceType } from './resources.ts';
import { type Json, jsonPatch, mergePatch, parseJsonPatch } from './patch.ts';
import { unsupportedMediaType } from './respond.ts';
import { badRequest } from './status.ts';
import { strategicMergePatch } from './strategic-merge.ts';

const builtinPatchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const customPatchTypes = ['application/json-patch+json', 'application/merge-patch+json'];

/**
 * Apply a PATCH body of the given media type to the current object. As on Kubernetes, strategic
 * merge is only for built-in kinds: custom resources have no merge keys, so it is a 415 there.
 */
export function applyPatch(rt: ResourceType, type: string, current: Json, body: string): Json {
  const accepted = rt.builtin ? builtinPatchTypes : customPatchTypes;
  if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
  let patch: Json;
  try {
    patch = JSON.parse(body) as Json;
  } catch (err) {
    throw badRequest(`the patch is not valid JSON: ${(err as Error).message}`);
  }
  if (type === 'application/json-patch+json') return jsonPatch(current, parseJsonPatch(patch));
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw badRequest(
      `a ${type === 'application/merge-patch+json' ? 'merge' : 'strategic merge'} patch must be a JSON object`,
    );
  }
  return type === 'application/merge-patch+json'
    ? mergePatch(current, patch)
    : strategicMergePatch(current, patch);
}
