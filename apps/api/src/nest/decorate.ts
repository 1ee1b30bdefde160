import 'reflect-metadata';
import { Inject, type InjectionToken } from '@nestjs/common';

/**
 * Applies Nest decorators as plain function calls.
 *
 * The workspace compiles with TypeScript's standard decorators (no `experimentalDecorators`), SWC in
 * jest parses no decorator syntax, and Nest's method and parameter decorators need the legacy form.
 * So classes stay undecorated and each file ends with one `decorate(...)` call that does exactly what
 * `@Controller()`, `@Get()`, `@Param()`, `@Inject()` would do. When the base tsconfig and jest turn
 * on legacy decorators this becomes a mechanical rewrite to `@` syntax.
 */
export interface MethodSpec {
  /** Method decorators, listed top to bottom as they would be written above the method. */
  use: MethodDecorator[];
  /** Parameter decorators by position, each with the parameter's runtime type (`design:paramtypes`). */
  params?: [ParameterDecorator, (abstract new (...args: never[]) => unknown)?][];
}

export interface ClassSpec<T> {
  /** Class decorators, top to bottom. */
  use?: ClassDecorator[];
  /** Constructor injection tokens by position (explicit `@Inject(TOKEN)`). */
  inject?: InjectionToken[];
  methods?: Partial<Record<Extract<keyof T, string>, MethodSpec>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function decorate<C extends abstract new (...args: any[]) => any>(cls: C, spec: ClassSpec<InstanceType<C>>): C {
  spec.inject?.forEach((token, index) => Inject(token)(cls, undefined, index));
  const proto = cls.prototype as object;
  for (const [name, method] of Object.entries(spec.methods ?? {}) as [string, MethodSpec][]) {
    const params = method.params ?? [];
    Reflect.defineMetadata('design:paramtypes', params.map(([, type]) => type ?? Object), proto, name);
    params.forEach(([decorator], index) => decorator(proto, name, index));
    let descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor) throw new Error(`${cls.name}.${name} is not a method`);
    for (const decorator of [...method.use].reverse()) descriptor = (decorator(proto, name, descriptor) as PropertyDescriptor | undefined) ?? descriptor;
    Object.defineProperty(proto, name, descriptor);
  }
  for (const decorator of [...(spec.use ?? [])].reverse()) decorator(cls);
  return cls;
}
