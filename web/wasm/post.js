// Appended to the Emscripten glue (--post-js). An error the engine raises is thrown from inside a wasm call
// (bindings.cpp, js_throw_error), and a throw does not unwind the C++ frames: the wasm stack pointer stays
// where the error was raised, tens of bytes lower each time, until thousands of errors later the stack runs
// into the heap. So every entry point of the module puts the stack pointer back when an error passes through
// it: any number of errors leaves the module exactly as it was.
Module['onRuntimeInitialized'] = ((userInit) => function () {
  const guard = (call) => Object.assign(function (...args) {
    const sp = stackSave();
    try {
      return call.apply(this, args);
    } catch (e) {
      stackRestore(sp);
      throw e;
    }
  }, call.overloadTable ? { overloadTable: call.overloadTable } : {});  // Embind's overloads (by argument count) dispatch through it
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
  for (const name of ['inspectNorm', 'randn']) Module[name] = guard(Module[name]);
  if (userInit) userInit();
})(Module['onRuntimeInitialized']);
