import { fastApiError, type LightFiContext } from './lightfi-context.js';
import { LIGHTFI_UNITS, lightFiReading } from './lightfi-data.js';
import { type EmulatorRequest, type Handler, json, type Reply, redirect } from './reply.js';
import type { Router } from './router.js';

const HOUR_MS = 3_600_000;
const MAX_HISTORY_POINTS = 24 * 31;

/** FastAPI's 401 for a missing, unknown, expired or revoked bearer token. */
function notAuthenticated(): Reply {
  return fastApiError(401, 'Not authenticated', { 'WWW-Authenticate': 'Bearer' });
}

/** A handler that runs only with a valid, unexpired, unrevoked access token from this emulator. */
function withBearer(context: LightFiContext, handler: Handler): Handler {
  return (request) => {
    const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers['authorization'] ?? '');
    const token = match?.[1];
    if (token === undefined || context.ledger.lookup(token, 'access').status !== 'valid')
      return notAuthenticated();
    return handler(request);
  };
}

/** Pydantic v2's complaint about a path parameter that is not an integer, as FastAPI sends it (422). */
function intParsingError(name: string, input: string): Reply {
  return fastApiError(422, [
    {
      type: 'int_parsing',
      loc: ['path', name],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input,
    },
  ]);
}

function dateTimeError(name: string, input: string): Reply {
  return fastApiError(422, [
    {
      type: 'datetime_from_date_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid datetime',
      input,
    },
  ]);
}

function location(context: LightFiContext, request: EmulatorRequest): Reply {
  const raw = request.params['locationId'] ?? '';
  const id = Number(raw);
  if (!/^-?\d+$/.test(raw)) return intParsingError('location_id', raw);
  const found = context.locations.find((candidate) => candidate.id === id);
  if (found === undefined) return fastApiError(404, 'Location not found');
  return json(200, { ...found, sensors: context.sensors.filter((sensor) => sensor.location_id === id) });
}

function sensor(context: LightFiContext, request: EmulatorRequest): Reply {
  const found = context.sensors.find((candidate) => candidate.id === request.params['sensorId']);
  if (found === undefined) return fastApiError(404, 'Sensor not found');
  // LightFi's client example reads the latest values with `project=["latest","value"]` and gets
  // `data: [{var_name, time (epoch s), value}]`: the latest (hourly) reading of each variable.
  if (request.query.getAll('project').includes('latest')) {
    const hourStart = Math.floor(context.clock.now() / HOUR_MS) * HOUR_MS;
    return json(200, {
      data: found.variables.map((variable) => ({
        var_name: variable,
        time: hourStart / 1000,
        value: lightFiReading(variable, hourStart),
      })),
    });
  }
  return json(200, found);
}

function history(context: LightFiContext, request: EmulatorRequest): Reply {
  const found = context.sensors.find((candidate) => candidate.id === request.params['sensorId']);
  if (found === undefined) return fastApiError(404, 'Sensor not found');
  const variable = request.params['varName'] ?? '';
  if (!found.variables.includes(variable)) return fastApiError(404, 'Variable not found');
  const rawEnd = request.query.get('end');
  const rawStart = request.query.get('start');
  const end = rawEnd === null ? context.clock.now() : Date.parse(rawEnd);
  if (Number.isNaN(end)) return dateTimeError('end', rawEnd ?? '');
  const start = rawStart === null ? end - 24 * HOUR_MS : Date.parse(rawStart);
  if (Number.isNaN(start)) return dateTimeError('start', rawStart ?? '');
  const data: { timestamp: string; value: number | boolean }[] = [];
  // Hourly points on whole hours, so two requests over the same window answer the same data.
  for (
    let at = Math.ceil(start / HOUR_MS) * HOUR_MS;
    at <= end && data.length < MAX_HISTORY_POINTS;
    at += HOUR_MS
  ) {
    data.push({ timestamp: new Date(at).toISOString(), value: lightFiReading(variable, at) });
  }
  return json(200, { sensor_id: found.id, var_name: variable, unit: LIGHTFI_UNITS[variable] ?? null, data });
}

/** Registers LightFi's demo API (apiv2.lightfi.io). */
export function registerLightFiApiRoutes(router: Router, context: LightFiContext): void {
  const guard = (handler: Handler) => withBearer(context, handler);
  router
    .add(
      'GET',
      '/locations',
      guard(() => json(200, context.locations)),
    )
    .add(
      'GET',
      '/locations/:locationId/',
      guard((request) => location(context, request)),
    )
    .add(
      'GET',
      '/sensors/:sensorId',
      guard((request) => sensor(context, request)),
    )
    .add(
      'GET',
      '/sensors/:sensorId/:varName/history',
      guard((request) => history(context, request)),
    );
}

/**
 * FastAPI's `redirect_slashes`: a path that matches a route only with (or without) a trailing slash answers 307 to
 * the spelling that does.
 */
export function fastApiSlashRedirect(router: Router, request: EmulatorRequest): Reply | undefined {
  const other = request.path.endsWith('/') ? request.path.slice(0, -1) : `${request.path}/`;
  if (other === '' || router.resolve(request.method, other).kind !== 'found') return undefined;
  // Starlette writes an absolute Location, built from the Host the client used.
  const host = request.headers['host'];
  const target = `${other}${request.url.search}`;
  return redirect(host === undefined ? target : `http://${host}${target}`, 307);
}
