import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../app/routes.js';
import { boardPath, handoverPath } from './api.js';

describe('ambulance hospital routes', () => {
  it('parses the board and a run handover, including ids that need encoding', () => {
    expect(parseRoute(boardPath())).toEqual({ name: 'ambulanceHospital', view: 'board' });
    expect(parseRoute(`${boardPath()}/`)).toEqual({ name: 'ambulanceHospital', view: 'board' });
    expect(parseRoute(handoverPath('run 1/x'))).toEqual({
      name: 'ambulanceHospital',
      view: 'handover',
      runId: 'run 1/x',
    });
    expect(parseRoute('/ambulance/runs/%E0%A4%A/handover')).toEqual({ name: 'unknown' });
  });
});
