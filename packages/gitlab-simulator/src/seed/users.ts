import { AccessLevel, Group, User } from '../model';
import { DAY } from '../time';

/** The token of the administrator when no `token` option is given. */
export const DEFAULT_ADMIN_TOKEN = 'glpat-simulator-admin-token';

interface UserSpec {
  username: string;
  name: string;
  isAdmin?: boolean;
}

const USER_SPECS: UserSpec[] = [
  { username: 'admin', name: 'Administrator', isAdmin: true },
  { username: 'alice', name: 'Alice Martin' },
  { username: 'bob', name: 'Bob Keller' },
  { username: 'carol', name: 'Carol Nguyen' },
  { username: 'dave', name: 'Dave Okafor' },
  { username: 'erin', name: 'Erin Rossi' },
  { username: 'frank', name: 'Frank Moreau' },
];

/** Token of a seeded user other than the administrator. */
export function userToken(username: string): string {
  return `glpat-simulator-${username}`;
}

export function createUsers(now: number, adminToken: string): User[] {
  return USER_SPECS.map((spec, index) => ({
    id: index + 1,
    username: spec.username,
    name: spec.name,
    email: `${spec.username}@example.org`,
    isAdmin: spec.isAdmin ?? false,
    token: spec.isAdmin ? adminToken : userToken(spec.username),
    createdAt: now - (1500 - index * 40) * DAY,
  }));
}

interface GroupSpec {
  path: string;
  name: string;
  description: string;
  owner: string;
  developers: string[];
}

const GROUP_SPECS: GroupSpec[] = [
  {
    path: 'physics',
    name: 'Physics',
    description: 'Physics analysis, simulation and reconstruction software',
    owner: 'alice',
    developers: ['frank'],
  },
  {
    path: 'ml',
    name: 'Machine Learning',
    description: 'Machine learning models and training pipelines',
    owner: 'carol',
    developers: ['frank'],
  },
  {
    path: 'hardware',
    name: 'Hardware',
    description: 'Firmware, FPGA designs and board test software',
    owner: 'bob',
    developers: [],
  },
  {
    path: 'software',
    name: 'Software',
    description: 'Shared tools, services and libraries',
    owner: 'dave',
    developers: ['alice'],
  },
  {
    path: 'accelerator-controls',
    name: 'Accelerator Controls',
    description: 'Control system software for the accelerator complex',
    owner: 'erin',
    developers: [],
  },
];

export const GROUP_PATHS = GROUP_SPECS.map(spec => spec.path);

export function createGroups(now: number, users: User[]): Group[] {
  const idOf = (username: string) => {
    const user = users.find(candidate => candidate.username === username);
    if (!user) {
      throw new Error(`Seeded group member ${username} is not a seeded user`);
    }
    return user.id;
  };
  return GROUP_SPECS.map((spec, index) => {
    const members = new Map<number, number>();
    members.set(idOf(spec.owner), AccessLevel.owner);
    for (const developer of spec.developers) {
      members.set(idOf(developer), AccessLevel.developer);
    }
    return {
      id: index + 1,
      name: spec.name,
      path: spec.path,
      description: spec.description,
      createdAt: now - (1400 - index * 30) * DAY,
      members,
    };
  });
}
