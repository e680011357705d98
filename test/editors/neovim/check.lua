-- Headless Neovim (0.7+) as an LSP client of smart-placement-language-server --stdio:
-- diagnostics, hover, a quick fix, code lenses and the estimate request, asserted here. Run by test/editors/neovim.mjs:
--   nvim --headless -u NONE -i NONE -c 'luafile check.lua' WORKSPACE/api/wrangler.toml
local server = os.getenv("SP_SERVER")
local result_file = os.getenv("SP_RESULT")
local lines, failures = {}, 0
local function say(s) table.insert(lines, s) end
local function check(name, ok, detail)
  if ok then say("PASS " .. name) else failures = failures + 1; say("FAIL " .. name .. (detail and (": " .. detail) or "")) end
end

local bufnr = vim.api.nvim_get_current_buf()
local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h:h")
local client_id = vim.lsp.start_client({ name = "smart-placement", cmd = { "node", server, "--stdio" }, root_dir = root })
vim.lsp.buf_attach_client(bufnr, client_id)
local client = vim.lsp.get_client_by_id(client_id)

local function errors()
  return vim.tbl_filter(function(d) return d.severity == vim.diagnostic.severity.ERROR end, vim.diagnostic.get(bufnr))
end
local got = vim.wait(15000, function() return client.initialized and #errors() > 0 end, 50)
local diags = errors()
check("diagnostics", got and #diags == 1 and diags[1].lnum == 8, vim.inspect(diags))
local code = diags[1] and ((diags[1].user_data and diags[1].user_data.lsp and diags[1].user_data.lsp.code) or diags[1].code)
check("diagnostic code", code == "placement-mode", tostring(code))

local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = 8, character = 1 } }
local hover = client.request_sync("textDocument/hover", params, 5000, bufnr)
local hover_text = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
check("hover", hover_text:find("how the Worker is placed", 1, true) ~= nil, hover_text)

local lsp_diags = vim.tbl_map(function(d)
  return { range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity, message = d.message, source = d.source, code = code }
end, diags)
local actions = client.request_sync("textDocument/codeAction", {
  textDocument = params.textDocument,
  range = { start = { line = 8, character = 8 }, ["end"] = { line = 8, character = 8 } },
  context = { diagnostics = lsp_diags },
}, 5000, bufnr)
local list = (actions and actions.result) or {}
local preferred
for _, a in ipairs(list) do if a.isPreferred then preferred = a end end
check("quick fix offered", preferred ~= nil and preferred.title == 'Change mode to "smart"', vim.inspect(vim.tbl_map(function(a) return a.title end, list)))
if preferred then vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding or "utf-16") end
local line = vim.api.nvim_buf_get_lines(bufnr, 8, 9, false)[1]
check("fix applied", line == 'mode = "smart"', line)
local cleared = vim.wait(10000, function() return #errors() == 0 end, 50)
check("diagnostic cleared", cleared)

-- Code lenses, as any LSP client shows them: the prediction and the estimate's question.
local lenses = client.request_sync("textDocument/codeLens", { textDocument = params.textDocument }, 5000, bufnr)
local titles = vim.tbl_map(function(l) return l.command and l.command.title or "" end, (lenses and lenses.result) or {})
local joined = table.concat(titles, " | ")
check("code lens: prediction", joined:find("would help: 2 sequential round trips to db.example.com", 1, true) ~= nil, joined)
check("code lens: estimate asks where the back end is", joined:find("Estimate: where is db.example.com?", 1, true) ~= nil, joined)

-- The estimate's data, through the server's own request (what VS Code's picture is drawn from).
local estimate = client.request_sync("smartPlacement/estimate", { uri = params.textDocument.uri }, 5000, bufnr)
local views = (estimate and estimate.result) or {}
local first = views[1] or {}
check("estimate request", first.name == "api" and first.status == "SUCCESS" and first.estimate ~= nil, vim.inspect(views))

say(failures == 0 and "NVIM-LSP PASS" or "NVIM-LSP FAIL")
vim.fn.writefile(lines, result_file)
vim.lsp.stop_client(client_id)
vim.cmd(failures == 0 and "qa!" or "cq")
