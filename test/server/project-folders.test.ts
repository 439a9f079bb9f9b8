import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOWS_DIR } from '../../flows/index.ts';
import { projectFolders } from '../../server/project-folders.ts';
import { BOTS_DIR } from '../../server/runtime.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'vitrine-folders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the folders a started server loads and watches', () => {
  it('are the bots/ and flows/ of the folder it starts in, so npm start runs (and watches) what is edited', () => {
    const project = path.join(tmp, 'shop');
    mkdirSync(path.join(project, 'bots', 'corner'), { recursive: true });
    mkdirSync(path.join(project, 'flows', 'locales'), { recursive: true });
    writeFileSync(path.join(project, 'flows', 'shopping.flow.yaml'), 'id: shopping\n');
    expect(projectFolders(project, {})).toEqual({
      botsDir: path.join(project, 'bots'), flowsDir: path.join(project, 'flows'), localesDir: path.join(project, 'flows', 'locales'),
    });
  });

  it('follow BOTS_DIR and FLOWS_DIR, relative to that folder', () => {
    const project = path.join(tmp, 'custom');
    mkdirSync(path.join(project, 'conf', 'flows'), { recursive: true });
    expect(projectFolders(project, { BOTS_DIR: 'conf/bots', FLOWS_DIR: 'conf/flows' })).toEqual({
      botsDir: path.join(project, 'conf', 'bots'), flowsDir: path.join(project, 'conf', 'flows'), localesDir: path.join(FLOWS_DIR, 'locales'),
    });
  });

  it('fall back to the copies packaged with the server where the folder has none', () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(path.join(empty, 'flows'), { recursive: true });
    expect(projectFolders(empty, {})).toEqual({ botsDir: BOTS_DIR, flowsDir: FLOWS_DIR, localesDir: path.join(FLOWS_DIR, 'locales') });
  });
});
