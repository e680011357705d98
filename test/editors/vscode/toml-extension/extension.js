// Activated by `onLanguage:toml` (implied by the language it contributes), as Even Better TOML is.
exports.activate = () => undefined;
