import { describe, expect, it } from 'vitest';
import type { Institution, UserInfo } from '@telemed/signaling/protocol';
import { groupByInstitution } from './groupUsers.js';

const county: Institution = { id: 'county', name: "County People's Hospital", kind: 'hospital' };
const riverside: Institution = { id: 'riverside', name: 'Riverside Township Health Center', kind: 'clinic' };
const user = (id: string, displayName: string, institution = county): UserInfo => ({
  id,
  username: id,
  displayName,
  role: 'specialist',
  institution,
});

describe('groupByInstitution', () => {
  const users = [
    user('wang', 'Dr. Wang'),
    user('zhao', 'Zhao Min', riverside),
    user('chen', 'Dr. Chen'),
    user('liu', 'Dr. Liu', riverside),
  ];

  it('puts my institution first, names sorted, and leaves me out', () => {
    expect(groupByInstitution(users, 'riverside', 'zhao')).toEqual([
      { institution: riverside.name, kind: 'clinic', users: [users[3]] },
      { institution: county.name, kind: 'hospital', users: [users[2], users[0]] },
    ]);
  });

  it('sorts the other institutions by name', () => {
    const groups = groupByInstitution(users, 'elsewhere');
    expect(groups.map((g) => g.institution)).toEqual([county.name, riverside.name]);
  });

  it('sorts Chinese names by pinyin for a Chinese reader', () => {
    const chinese = [user('w', '王丽'), user('c', '陈宇'), user('l', '李芳')];
    const [group] = groupByInstitution(chinese, 'county', undefined, 'zh-CN');
    expect(group?.users.map((u) => u.displayName)).toEqual(['陈宇', '李芳', '王丽']);
  });
});
