/**
 * Approval bindings name Cedar-style entities (`Keyward::Tool::"fs/write_file"`); these split them
 * into type and id so the queue can say "call_tool on fs/write_file" and link agents by id.
 */

export function parseEntity(uid: string): { type: string; id: string } {
  const m = /^(?:[A-Za-z_][\w]*::)*?([A-Za-z_][\w]*)::"((?:[^"\\]|\\.)*)"$/.exec(uid);
  return m?.[1] !== undefined && m[2] !== undefined ? { type: m[1], id: m[2] } : { type: '', id: uid };
}

/** "call_tool fs/write_file": the action's and the resource's ids. */
export function requestSummary(binding: { action: string; resource: string }): string {
  return `${parseEntity(binding.action).id} ${parseEntity(binding.resource).id}`;
}
