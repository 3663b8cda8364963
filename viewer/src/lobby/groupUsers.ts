import type { UserInfo } from '@telemed/signaling/protocol';

export interface InstitutionGroup {
  institution: string;
  kind?: UserInfo['institution']['kind'];
  users: UserInfo[];
}

/**
 * Users by institution (mine first, then in the reader's collation order — pinyin for zh-CN), each group
 * sorted by name, without `exceptId`.
 */
export function groupByInstitution(
  users: readonly UserInfo[],
  myInstitutionId: string,
  exceptId?: string,
  locale?: string,
): InstitutionGroup[] {
  const groups = new Map<
    string,
    { id: string; name: string; kind: UserInfo['institution']['kind']; users: UserInfo[] }
  >();
  for (const u of users) {
    if (u.id === exceptId) continue;
    let g = groups.get(u.institution.id);
    if (!g) {
      g = { id: u.institution.id, name: u.institution.name, kind: u.institution.kind, users: [] };
      groups.set(u.institution.id, g);
    }
    g.users.push(u);
  }
  return [...groups.values()]
    .sort((a, b) =>
      a.id === myInstitutionId ? -1 : b.id === myInstitutionId ? 1 : a.name.localeCompare(b.name, locale),
    )
    .map((g) => ({
      institution: g.name,
      kind: g.kind,
      users: [...g.users].sort((a, b) => a.displayName.localeCompare(b.displayName, locale)),
    }));
}
