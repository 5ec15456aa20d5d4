/**
 * Rule ids that no longer exist because the rule was renamed or merged into another: the old id
 * → the id that judges the same thing now. A `.zerodrop.yaml` entry or a `zerodrop.dev/ignore`
 * annotation naming an old id would otherwise silently stop doing anything (a finding it used to
 * suppress comes back, a severity it set is lost), so each says which id to write instead.
 */
export const RENAMED_RULES: Readonly<Record<string, string>> = {
  // Spring Boot's and ASP.NET Core's shutdown budgets are the same idea as gunicorn's, uvicorn's,
  // Caddy's and php-fpm's: one rule for all of them.
  'shutdown-timeout-exceeds-grace': 'server-drain-exceeds-grace',
};

/** The id an old rule id became, if it is one. */
export function renamedRule(id: string): string | undefined {
  return Object.hasOwn(RENAMED_RULES, id) ? RENAMED_RULES[id] : undefined;
}

/** `rule "old" is now "new"; write that id`, for a renamed id; undefined for any other. */
export function renamedRuleMessage(id: string): string | undefined {
  const now = renamedRule(id);
  return now === undefined ? undefined : `rule "${id}" is now "${now}" (merged into it); write "${now}" instead`;
}
