// What deploys, read back for the local platform: a synthesised cloud assembly (`cdk synth -o
// <dir>`), whose templates name the journeys' state machines (each definition an asset file, its
// `${...}` placeholders the step functions' ARNs) and every function with its bundled code. The
// platform runs those definitions and those bundles instead of the sources (see `startPlatform({
// assembly })`), so a test on it tests what a deploy would ship.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS, JOURNEYS, type FunctionSpec } from '../lambdas/functions';
import type { Journey } from '../lambdas/domain/shared/reference';
import type { Bundle } from './lambda-runtime';

/** A resource as a template holds it (CloudFormation properties are free-form JSON). */
interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

interface Template {
  /** the assembly directory it belongs to (a nested assembly has its own) */
  readonly dir: string;
  readonly file: string;
  readonly resources: Readonly<Record<string, Resource>>;
}

export interface DeployedFunction {
  readonly spec: FunctionSpec;
  readonly bundle: Bundle;
  /** the variables CloudFormation sets on it, as the template has them (values may be references) */
  readonly environment: Readonly<Record<string, unknown>>;
  /** where it is in the assembly, for messages: template and logical id */
  readonly where: string;
}

export interface DeployedJourney {
  readonly journey: Journey;
  /** the definition as deployed, its substitutions made with the local functions' ARNs */
  readonly definition: string;
  readonly where: string;
}

export interface Deployed {
  readonly functions: ReadonlyMap<string, DeployedFunction>;
  readonly journeys: readonly DeployedJourney[];
}

/**
 * Reads an assembly: every registry function (matched by its construct path, which ends in
 * `/<registry name>/Resource`) with its bundle, and every journey's state machine (construct
 * path `/<Journey>Journey/Resource`) with its definition. Fails, saying what, if any function
 * or journey is missing or appears twice, or a definition refers to something that is not a
 * registry function: the platform would otherwise run something other than what deploys.
 * `functionArn` names the local function for an entry, as the step substitutions must.
 */
export function readAssembly(dir: string, functionArn: (entry: string) => string): Deployed {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'manifest.json'))) throw new Error(`${root} is not a cloud assembly: it has no manifest.json (synthesise one with \`npx cdk synth -o ${dir}\`)`);
  const { templates, assetFiles } = readManifest(root);

  const functions = new Map<string, DeployedFunction>();
  const byLogicalId = new Map<string, DeployedFunction>();
  const machines: { template: Template; id: string; journey: Journey; resource: Resource }[] = [];
  for (const template of templates) {
    for (const [id, resource] of Object.entries(template.resources)) {
      const constructPath = String(resource.Metadata?.['aws:cdk:path'] ?? '');
      const where = `${path.relative(root, template.file)} ${id} (${constructPath})`;
      if (resource.Type === 'AWS::Lambda::Function') {
        const spec = FUNCTIONS.find((fn) => constructPath.endsWith(`/${fn.name}/Resource`));
        if (!spec) continue; // CDK's own functions (e.g. the asset bucket's deployment)
        const found = functions.get(spec.name);
        if (found) throw new Error(`The assembly has the function ${spec.name} twice: ${found.where} and ${where}`);
        const deployed: DeployedFunction = { spec, bundle: bundleOf(template, resource, where), environment: resource.Properties?.Environment?.Variables ?? {}, where };
        functions.set(spec.name, deployed);
        byLogicalId.set(`${template.file}#${id}`, deployed);
      } else if (resource.Type === 'AWS::StepFunctions::StateMachine') {
        const named = /\/(\w+)Journey\/Resource$/.exec(constructPath)?.[1];
        const journey = JOURNEYS.find((candidate) => candidate.toLowerCase() === named?.toLowerCase());
        if (!journey) throw new Error(`The assembly has a state machine that is no journey of lambdas/functions.ts: ${where}`);
        machines.push({ template, id, journey, resource });
      }
    }
  }
  const missing = FUNCTIONS.filter((fn) => !functions.has(fn.name)).map((fn) => fn.name);
  if (missing.length > 0) {
    throw new Error(`The assembly at ${root} has no function for ${missing.join(', ')} of lambdas/functions.ts (looked for an AWS::Lambda::Function whose construct path ends in /<name>/Resource)`);
  }

  const journeys = machines.map(({ template, id, journey, resource }): DeployedJourney => {
    const where = `${path.relative(root, template.file)} ${id}`;
    const location = resource.Properties?.DefinitionS3Location;
    const file = location && assetFiles.get(`${template.dir}#${location.Key}`);
    if (!file) throw new Error(`The definition of the ${journey} journey (${where}) is not an asset file of the assembly; only DefinitionS3Location definitions are read`);
    const substitutions = resource.Properties?.DefinitionSubstitutions ?? {};
    const definition = readFileSync(file, 'utf8').replace(/\$\{(\w+)\}/g, (_whole, key: string) => {
      const value = substitutions[key];
      const target = value?.['Fn::GetAtt']?.[1] === 'Arn' ? byLogicalId.get(`${template.file}#${value['Fn::GetAtt'][0]}`) : undefined;
      if (target?.spec.trigger !== 'step') throw new Error(`The definition of the ${journey} journey (${where}) substitutes \${${key}} with ${JSON.stringify(value)}, which is not the ARN of a journey step of lambdas/functions.ts in the same template`);
      return functionArn(target.spec.entry);
    });
    return { journey, definition, where };
  });
  for (const journey of JOURNEYS) {
    const found = journeys.filter((deployed) => deployed.journey === journey);
    if (found.length !== 1) throw new Error(`The assembly at ${root} has ${found.length} state machines for the ${journey} journey${found.length ? `: ${found.map((f) => f.where).join(', ')}` : ''}; it must have one`);
  }
  return { functions, journeys };
}

/** Every stack template of the assembly and of the assemblies nested in it, and the asset files by object key. */
function readManifest(dir: string): { templates: Template[]; assetFiles: Map<string, string> } {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const templates: Template[] = [];
  const assetFiles = new Map<string, string>();
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = path.join(dir, artifact.properties.templateFile);
      templates.push({ dir, file, resources: JSON.parse(readFileSync(file, 'utf8')).Resources ?? {} });
    } else if (artifact.type === 'cdk:asset-manifest') {
      const assets = JSON.parse(readFileSync(path.join(dir, artifact.properties.file), 'utf8'));
      for (const asset of Object.values<any>(assets.files ?? {})) {
        for (const destination of Object.values<any>(asset.destinations ?? {})) assetFiles.set(`${dir}#${destination.objectKey}`, path.resolve(dir, asset.source.path));
      }
    } else if (artifact.type === 'cdk:cloud-assembly') {
      const nested = readManifest(path.join(dir, artifact.properties.directoryName));
      templates.push(...nested.templates);
      for (const [key, file] of nested.assetFiles) assetFiles.set(key, file);
    }
  }
  return { templates, assetFiles };
}

/** The function's bundled code: its asset directory and the file and export its Handler names (e.g. index.handler). */
function bundleOf(template: Template, resource: Resource, where: string): Bundle {
  const asset = resource.Metadata?.['aws:asset:path'];
  const handler = String(resource.Properties?.Handler ?? '');
  const dot = handler.lastIndexOf('.');
  if (!asset || dot < 1) throw new Error(`The function ${where} has no bundled asset (aws:asset:path) or no Handler: synthesise with bundling`);
  const base = path.resolve(template.dir, asset, handler.slice(0, dot));
  const file = ['.js', '.cjs'].map((extension) => base + extension).find(existsSync);
  if (!file) throw new Error(`The function ${where} has no ${path.relative(template.dir, base)}.js in its asset: was the assembly synthesised with bundling?`);
  return { file, exportName: handler.slice(dot + 1) };
}
