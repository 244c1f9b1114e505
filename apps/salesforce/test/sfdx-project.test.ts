/**
 * The sfdx project, checked without an org: every Apex file parses with @apexdevtools/apex-parser,
 * the structure Salesforce requires holds (the Flow action's signature, callouts only outside
 * trigger context), every -meta.xml is well-formed at the project's API version, and the
 * External Service's OpenAPI document validates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAPISchemaValidator from 'openapi-schema-validator';
import type { OpenAPI } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { type ApexOutline, outlineApex, outlineApexTree } from '../src/apex-source.ts';
import {
  externalServiceRegistrationXml,
  OPENAPI_PATH,
  REGISTRATION_PATH,
  salesforceOpenApi,
} from '../src/external-service.ts';
import vector from './fixtures/signing-vector.json' with { type: 'json' };

const root = join(import.meta.dirname, '..');
const forceApp = join(root, 'force-app');
const project = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8')) as {
  sourceApiVersion: string;
  packageDirectories: { path: string; default?: boolean }[];
};
const outlines = outlineApexTree(forceApp);
const byClass = (name: string): ApexOutline => {
  const found = outlines.find((o) => o.classes[0]?.name === name);
  if (!found) throw new Error(`no class ${name}`);
  return found;
};
const read = (rel: string) => readFileSync(join(forceApp, 'main/default', rel), 'utf8');

describe('the Apex', () => {
  it('parses every .cls and .trigger without a syntax error', () => {
    expect(outlines.length).toBeGreaterThanOrEqual(9);
    for (const o of outlines) expect(o.errors, o.path).toEqual([]);
  });

  it('reports syntax errors (the check is not vacuous)', () => {
    const broken = outlineApex('public class Broken { void m() { Integer x = ; } }', 'class');
    expect(broken.errors.length).toBeGreaterThan(0);
  });

  it('exposes exactly one @InvocableMethod, global static, List<Request> → List<Result>, for Flow', () => {
    const notifier = byClass('TidingsNotifier');
    const invocables = notifier.classes.flatMap((c) =>
      c.methods.filter((m) => m.annotations.some((a) => /^@InvocableMethod\(/i.test(a))),
    );
    expect(invocables).toHaveLength(1);
    const [method] = invocables;
    expect(method?.modifiers).toEqual(expect.arrayContaining(['global', 'static']));
    expect(method?.parameters).toEqual(['List<Request>']);
    expect(method?.returns).toBe('List<Result>');
    const annotation = method?.annotations[0] ?? '';
    expect(annotation).toContain("label='Send order status notification'");
    expect(annotation).toContain('callout=true');
    expect(notifier.classes[0]?.outer).toBeUndefined();
    const inner = notifier.classes.filter((c) => c.outer === 'TidingsNotifier').map((c) => c.name);
    expect(inner).toEqual(expect.arrayContaining(['Request', 'Result']));
    const source = read('classes/TidingsNotifier.cls');
    expect(source.match(/@InvocableVariable\(/g)?.length).toBe(13);
  });

  it('has a plain Apex API for developers', () => {
    const methods = byClass('TidingsNotifier').classes[0]?.methods ?? [];
    for (const name of ['sendNow', 'enqueue']) {
      expect(methods.find((m) => m.name === name)?.modifiers).toEqual(
        expect.arrayContaining(['global', 'static']),
      );
    }
  });

  it('calls out from a Queueable that allows callouts', () => {
    const job = byClass('TidingsNotifyQueueable').classes[0];
    expect(job?.implements).toEqual(['Queueable', 'Database.AllowsCallouts']);
    expect(job?.methods.find((m) => m.name === 'execute')?.parameters).toEqual([
      'QueueableContext',
    ]);
    expect(byClass('TidingsNotifyQueueable').calls).toContain('TidingsClient.send');
  });

  it('never calls out from trigger context: the trigger only reaches code that enqueues', () => {
    const trigger = outlines.find((o) => o.kind === 'trigger');
    expect(trigger?.path).toMatch(/TidingsOrderTrigger\.trigger$/);
    // Static calls reachable synchronously from the trigger (enqueued jobs run later, elsewhere).
    const reached = new Set<string>();
    const queue = [...(trigger?.calls ?? [])];
    while (queue.length > 0) {
      const call = queue.shift() ?? '';
      const cls = call.split('.')[0] ?? '';
      if (reached.has(cls)) continue;
      const outline = outlines.find((o) => o.classes[0]?.name === cls);
      if (!outline) continue;
      reached.add(cls);
      queue.push(...outline.calls);
    }
    expect([...reached]).toContain('TidingsOrderTriggerHandler');
    expect(reached.has('TidingsClient')).toBe(false);
    for (const cls of reached) {
      const o = byClass(cls);
      expect(o.constructed, cls).not.toContain('Http');
      expect(
        o.calls.some((c) => c.endsWith('.send') && !c.startsWith('Tidings')),
        cls,
      ).toBe(false);
    }
    expect(byClass('TidingsOrderTriggerHandler').calls).toContain('System.enqueueJob');
    // Only the client constructs Http, and it refuses to run in a trigger.
    const httpMakers = outlines
      .filter((o) => o.constructed.includes('Http'))
      .map((o) => o.classes[0]?.name);
    expect(httpMakers).toEqual(['TidingsClient']);
    expect(read('classes/TidingsClient.cls')).toContain('if (Trigger.isExecuting)');
  });

  it('tests with HttpCalloutMock: success, a 4xx, a 5xx and 200 records', () => {
    expect(byClass('TidingsCalloutMock').classes[0]?.implements).toEqual(['HttpCalloutMock']);
    const tests = byClass('TidingsNotifierTest');
    expect(tests.classes[0]?.annotations).toEqual(['@IsTest']);
    const testMethods =
      tests.classes[0]?.methods.filter((m) => m.annotations.includes('@IsTest')) ?? [];
    expect(testMethods.length).toBeGreaterThanOrEqual(8);
    const source = read('classes/TidingsNotifierTest.cls');
    expect(source).toContain('Test.setMock(HttpCalloutMock.class');
    expect(source).toMatch(/new TidingsCalloutMock\(\s*401/);
    expect(source).toMatch(/new TidingsCalloutMock\(503/);
    expect(source).toContain('i < 200');
    expect(source).toContain('Test.startTest()');
  });

  it('reads every result field it uses from the documented response, message ids included', () => {
    const client = read('classes/TidingsClient.cls');
    const readKeys = [...client.matchAll(/result\.get\('(\w+)'\)/g)].map((m) => m[1]);
    expect(new Set(readKeys)).toEqual(
      new Set(['outcome', 'reason', 'eventId', 'messageId', 'messageIds']),
    );
    const documented = Object.keys(salesforceOpenApi.components.schemas.EventResult.properties);
    for (const key of readKeys) expect(documented, key).toContain(key);
    const notifier = read('classes/TidingsNotifier.cls');
    expect(notifier).toMatch(
      /@InvocableVariable\(label='Message ID'[^\n]*\)\s*global String messageId;/,
    );
    expect(notifier).toMatch(
      /@InvocableVariable\(label='Message IDs'[^\n]*\)\s*global List<String> messageIds/,
    );
    const tests = read('classes/TidingsNotifierTest.cls');
    for (const name of [
      'flowActionReportsTheOutcomeOfASuccessfulSend',
      'twoHundredFlowRequestsAnswerInPlaceWithTheirMessageIds',
    ]) {
      const body = tests.slice(tests.indexOf(`void ${name}(`)).split('@IsTest')[0] ?? '';
      expect(body, name).toContain('.messageId);');
    }
  });

  it('asserts the same signing vector as the service', () => {
    const source = read('classes/TidingsNotifierTest.cls');
    expect(source).toContain(`VECTOR_SECRET = '${vector.secret}'`);
    expect(source).toContain(`VECTOR_BODY = '${vector.body}'`);
    expect(source).toContain(`VECTOR_SIGNATURE = '${vector.signature}'`);
    expect(read('classes/TidingsSigner.cls')).toContain(`HEADER = '${vector.header}'`);
  });
});

const metaFiles = (readdirSync(forceApp, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((p) => p.endsWith('-meta.xml'))
  .sort();

describe('the metadata', () => {
  it('is one sfdx package directory at a pinned API version', () => {
    expect(project.packageDirectories).toEqual([{ path: 'force-app', default: true }]);
    expect(project.sourceApiVersion).toMatch(/^\d{2}\.0$/);
  });

  it.each(metaFiles)('%s is well-formed XML in the metadata namespace', async (rel) => {
    const text = readFileSync(join(forceApp, rel), 'utf8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const doc = (await parseStringPromise(text)) as Record<
      string,
      { $?: Record<string, string>; apiVersion?: string[] }
    >;
    const [rootName] = Object.keys(doc);
    const node = doc[rootName ?? ''];
    expect(node?.$?.xmlns).toBe('http://soap.sforce.com/2006/04/metadata');
    if (node?.apiVersion) expect(node.apiVersion).toEqual([project.sourceApiVersion]);
    if (rel.endsWith('.cls-meta.xml') || rel.endsWith('.trigger-meta.xml')) {
      expect(node?.apiVersion).toEqual([project.sourceApiVersion]);
    }
  });

  it('has a meta file beside every Apex file', () => {
    for (const o of outlines) expect(metaFiles).toContain(`${o.path}-meta.xml`);
  });

  it('signs through the External Credential with the documented formula and the Apex constant', () => {
    const apexFormula = /CREDENTIAL_FORMULA =\s*'(.*)';/.exec(
      read('classes/TidingsSigner.cls').replace(/\n\s*/g, ' '),
    )?.[1];
    expect(apexFormula).toBeDefined();
    const xml = read('externalCredentials/Tidings_Signing.externalCredential-meta.xml');
    const inXml = /<parameterValue>\{!(.*)\}<\/parameterValue>/
      .exec(xml)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(apexFormula?.replace(/\\'/g, "'")).toBe(inXml);
    expect(inXml).toContain('$Credential.Tidings_Signing.SigningSecret');
    expect(read('namedCredentials/Tidings.namedCredential-meta.xml')).toContain(
      '<externalCredential>Tidings_Signing</externalCredential>',
    );
    expect(read('classes/TidingsClient.cls')).toContain("'callout:Tidings/salesforce/events'");
  });

  it('grants the principal and the outcome fields in both permission sets', () => {
    for (const set of ['Tidings_Admin', 'Tidings_User']) {
      const xml = read(`permissionsets/${set}.permissionset-meta.xml`);
      expect(xml).toContain(
        '<externalCredentialPrincipal>Tidings_Signing-TidingsOrg</externalCredentialPrincipal>',
      );
      expect(xml).toContain('<field>Order.Tidings_Status__c</field>');
    }
  });

  it('leaves the Order trigger off by default', () => {
    expect(read('customMetadata/Tidings_Setting.Default.md-meta.xml')).toMatch(
      /<field>Trigger_Enabled__c<\/field>\s*<value xsi:type="xsd:boolean">false<\/value>/,
    );
  });
});

describe('the External Service', () => {
  it('is a valid OpenAPI 3.0 document', () => {
    const validator = new OpenAPISchemaValidator({ version: 3 });
    expect(validator.validate(salesforceOpenApi as unknown as OpenAPI.Document).errors).toEqual([]);
  });

  // Salesforce Help, External Services "System Limits", "Schema Definitions" and "Naming and
  // Description Conventions"; Apex Developer Guide "Reserved Keywords".
  it('stays inside External Services’ documented schema limits', () => {
    const text = JSON.stringify(salesforceOpenApi);
    expect(salesforceOpenApi.openapi).toMatch(/^3\.0\.\d+$/);
    expect(text.length).toBeLessThanOrEqual(10_000_000); // max JSON schema size, in characters
    const descriptions: string[] = [];
    const names: string[] = [];
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, n] of node.entries()) walk(n, `${path}[${i}]`);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.description === 'string') descriptions.push(o.description);
      if (o.type === 'object' && o.properties) names.push(...Object.keys(o.properties));
      // Nested anonymous arrays become List<List<T>>, which a Flow variable cannot hold.
      const items = o.items as Record<string, unknown> | undefined;
      if (o.type === 'array' && items?.type === 'array') problems.push(`${path}: array of arrays`);
      if (path.includes('.responses.') && 'headers' in o)
        problems.push(`${path}: response headers`);
      for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
    };
    walk(salesforceOpenApi, '$');
    expect(problems).toEqual([]);
    // Longer descriptions are cut at 1,333 characters.
    for (const d of descriptions) expect(d.length).toBeLessThanOrEqual(1333);
    // Operation, object and property names become Apex identifiers.
    const operations = Object.values(salesforceOpenApi.paths).flatMap((item) =>
      Object.values(item),
    );
    names.push(
      ...operations.map((op) => op.operationId),
      ...Object.keys(salesforceOpenApi.components.schemas),
    );
    const apexIdentifier = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/;
    const reserved = new Set(
      'abstract activate and any array as asc autonomous begin bigdecimal blob boolean break bulk by byte case cast catch char class collect commit const continue currency date datetime decimal default delete desc do double else end enum exception exit export extends false final finally float for from global goto group having hint if implements import in inner insert instanceof int integer interface into join like limit list long loop map merge new not null nulls number object of on or outer override package parallel pragma private protected public retrieve return rollback select set short sobject sort static string super switch synchronized system testmethod then this throw time transaction trigger true try undelete update upsert using virtual void webservice when where while'.split(
        ' ',
      ),
    );
    expect(names).toEqual(
      expect.arrayContaining(['sendOrderEvents', 'EventsRequest', 'orderId', 'email']),
    );
    for (const name of names) {
      expect(name, name).toMatch(apexIdentifier);
      expect(reserved.has(name.toLowerCase()), `${name} is an Apex reserved keyword`).toBe(false);
    }
    expect(operations).toHaveLength(1);
    // A GET with a request body is refused at registration; this one posts.
    expect(Object.keys(salesforceOpenApi.paths['/salesforce/events'])).toEqual(['post']);
  });

  it('is committed as generated (npm run external-service)', async () => {
    // Biome formats the JSON file, so compare data, not text.
    expect(JSON.parse(readFileSync(join(root, OPENAPI_PATH), 'utf8'))).toEqual(salesforceOpenApi);
    const xml = readFileSync(join(root, REGISTRATION_PATH), 'utf8');
    expect(xml).toBe(externalServiceRegistrationXml());
    const doc = (await parseStringPromise(xml)) as {
      ExternalServiceRegistration: { schema: string[] };
    };
    expect(JSON.parse(doc.ExternalServiceRegistration.schema[0] ?? '')).toEqual(salesforceOpenApi);
  });
});
