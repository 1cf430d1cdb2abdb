// The page layer reads what a request names (query and form fields, path parameters) into records
// that hold those names and nothing else, and the words and content fill only the placeholders
// they are given: a name like `constructor`, `__proto__` or `toString` is a name like any other.
// (test/hostile-names.test.ts sends such names to every route through the local server.)
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { pageHandler, byName, type PageRequest } from '../lambdas/web/page-http';
import { FormProblems } from '../lambdas/web/forms';
import { say } from '../lambdas/web/words';
import { fill } from '../lambdas/domain/services/content';
import { readDetails } from '../lambdas/pages/application-fields';
import type { Service } from '../lambdas/domain/services/catalogue';

/** An event as the Lambda runtime hands it over: parsed from JSON, so `__proto__` is a key of its own. */
const event = (json: string): APIGatewayProxyEvent => JSON.parse(json) as APIGatewayProxyEvent;

describe('what a request names', () => {
  let seen: PageRequest | undefined;
  const handler = pageHandler(async (request) => {
    seen = request;
    return { status: 200, body: 'seen', contentType: 'text/plain' };
  });

  it('holds the names sent, `__proto__` and `constructor` among them, and nothing inherited', async () => {
    const reply = await handler(
      event(`{
        "httpMethod": "POST", "path": "/apply/x", "resource": "/apply/{service}",
        "headers": {"content-type": "application/x-www-form-urlencoded", "constructor": "x"},
        "queryStringParameters": {"__proto__": "q", "constructor": "c", "lang": "cy"},
        "pathParameters": {"service": "toString"},
        "body": "__proto__=f&toString=t&valueOf=1&valueOf=2",
        "requestContext": {"requestId": "r"}
      }`),
    );
    expect(reply.statusCode).toBe(200);
    const { query, form, params, language } = seen!;
    expect(language).toBe('cy');
    expect({ ...query }).toEqual({ ['__proto__' as string]: 'q', constructor: 'c', lang: 'cy' });
    expect(Object.hasOwn(query, '__proto__')).toBe(true);
    expect(form).toMatchObject({ toString: 't', valueOf: '2' });
    expect(Object.hasOwn(form, '__proto__') && form['__proto__']).toBe('f');
    expect(params.service).toBe('toString');
    // names not sent are not there, whatever they are called
    for (const name of ['hasOwnProperty', '__defineGetter__', 'isPrototypeOf']) {
      expect(query[name]).toBeUndefined();
      expect(form[name]).toBeUndefined();
      expect(params[name]).toBeUndefined();
    }
    expect(form.constructor).toBeUndefined();
  });

  it('keeps the last of a name given twice, and leaves out names with no value', () => {
    const record = byName([['a', '1'], ['a', '2'], ['b', undefined]]);
    expect({ ...record }).toEqual({ a: '2' });
    expect(Object.getPrototypeOf(record)).toBeNull();
  });
});

describe('a service whose details are named like Object\'s own', () => {
  // services are data: nothing stops a catalogue entry naming a detail `constructor`
  const service = {
    code: 'odd-names',
    details: [
      { field: 'constructor', label: { en: 'builder', cy: 'adeiladwr' }, required: true, maxLength: 20 },
      { field: 'valueOf', label: { en: 'value', cy: 'gwerth' }, required: false, maxLength: 20 },
    ],
  } as unknown as Service;

  it('asks for the one left out, and reads the ones given', () => {
    const missing = new FormProblems();
    expect(readDetails(service, byName([]), 'en', missing)).toEqual({});
    expect(missing.list).toEqual([{ field: 'constructor', message: 'Enter builder' }]);
    const given = new FormProblems();
    expect({ ...readDetails(service, byName([['constructor', 'Bob'], ['valueOf', '3']]), 'en', given) }).toEqual({ constructor: 'Bob', valueOf: '3' });
    expect(given.any).toBe(false);
  });

  it('records a problem with a field called toString, which no prototype hides', () => {
    const problems = new FormProblems();
    problems.add('toString', 'Enter a name');
    problems.add('toString', 'Enter it again');
    expect(problems.byField.toString).toBe('Enter a name');
    expect(problems.list).toEqual([{ field: 'toString', message: 'Enter a name' }]);
  });
});

describe('placeholders', () => {
  it('are filled only from the values given: {constructor} stays as it is', () => {
    expect(say('Hello {name}, {constructor} {toString} {Name}', { name: 'Alex' })).toBe('Hello Alex, {constructor} {toString} Alex');
    expect(fill('{valueOf} by {date}', { date: '4 December 2026' })).toBe('{valueOf} by 4 December 2026');
  });
});
