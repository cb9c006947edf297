// Appended to the Emscripten glue (--post-js). An error the engine raises is thrown from inside a wasm call
// (bindings.cpp, js_throw_error), and a throw does not unwind the C++ frames: the wasm stack pointer stays
// where the error was raised, tens of bytes lower each time, until thousands of errors later the stack runs
// into the heap. So every entry point of the module puts the stack pointer back when an error passes through
// it: any number of errors leaves the module exactly as it was.
Module['onRuntimeInitialized'] = ((userInit) => function () {
  // A method replaced by a wrapper keeps Embind's overload table: the dispatcher of overloads (by argument count)
  // looks it up on the prototype's function at every call.
  const keep = (call, wrapper) => Object.assign(wrapper, call.overloadTable ? { overloadTable: call.overloadTable } : {});
  const guard = (call) => keep(call, function (...args) {
    const sp = stackSave();
    try {
      return call.apply(this, args);
    } catch (e) {
      stackRestore(sp);
      throw e;
    }
  });
  const own = ['delete', 'clone', 'isDeleted', 'deleteLater', 'isAliasOf'];  // Embind's handle methods: no engine call
  for (const name of ['Model', 'Optimizer', 'Lab']) {
    const Class = Module[name];
    const proto = Class.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key !== 'constructor' && !own.includes(key) && typeof proto[key] === 'function') proto[key] = guard(proto[key]);
    }
    const Guarded = guard((...args) => new Class(...args));  // `new Guarded(...)` returns the Embind object
    Guarded.prototype = proto;
    Module[name] = Guarded;
  }
  // Lab.smoothness(i, options): an options object becomes its JSON here, before the engine is entered, so that one
  // JSON cannot write (a BigInt, a cycle) throws its TypeError from JS rather than from inside a wasm frame.
  const smoothness = Module.Lab.prototype.smoothness;
  Module.Lab.prototype.smoothness = keep(smoothness, function (...args) {
    if (args.length > 1 && args[1] !== null && typeof args[1] === 'object') args[1] = JSON.stringify(args[1]);
    return smoothness.apply(this, args);
  });
  for (const name of ['inspectNorm', 'randn']) Module[name] = guard(Module[name]);
  if (userInit) userInit();
})(Module['onRuntimeInitialized']);
