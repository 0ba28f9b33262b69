import { defineRoute } from '../../route.js';
import {
  ConfigParams,
  ConfigReloaded,
  ConfigSectionResponse,
  ConfigSections,
  ConfigUpdateRequest,
  ConfigValidation,
} from './schemas.js';

const read = { scope: 'observability' } as const;
const admin = { scope: 'admin' } as const;

/** Local Agent Studio's configuration sections (seed 004). */
export const configRoutes = [
  defineRoute({
    id: 'config.list',
    method: 'GET',
    path: '/config/',
    tag: 'config',
    summary: 'Every configuration section in effect',
    auth: read,
    response: { json: ConfigSections, nulls: true },
    errors: [],
  }),
  defineRoute({
    id: 'config.reload',
    method: 'POST',
    path: '/config/reload',
    tag: 'config',
    summary: 'Read the configuration file and the stored sections again',
    description:
      'Answers every section in effect after it. A file whose sections are not valid is a 422, and ' +
      'nothing changes.',
    auth: admin,
    response: { json: ConfigReloaded, nulls: true },
    errors: [],
  }),
  defineRoute({
    id: 'config.validate',
    method: 'GET',
    path: '/config/validate/{config_type}',
    tag: 'config',
    summary: 'Check a configuration section',
    auth: read,
    params: ConfigParams,
    response: { json: ConfigValidation, nulls: true },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'config.get',
    method: 'GET',
    path: '/config/{config_type}',
    tag: 'config',
    summary: 'One configuration section in effect',
    auth: read,
    params: ConfigParams,
    response: { json: ConfigSectionResponse, nulls: true },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'config.update',
    method: 'PUT',
    path: '/config/{config_type}',
    tag: 'config',
    summary: 'Change a configuration section',
    description:
      'The whole section is validated with the change (422 and nothing changed otherwise), stored, ' +
      'applied at once, and answered.',
    auth: admin,
    params: ConfigParams,
    body: ConfigUpdateRequest,
    response: { json: ConfigSectionResponse, nulls: true },
    errors: ['NOT_FOUND'],
  }),
] as const;
