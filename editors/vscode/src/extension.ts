// The tgo extension's client: starts `tgo lsp` over stdio (vscode-languageclient) for
// `.tgo` documents and, behind `tgo.serveGoFiles`, the `.go` files of packages that
// have `.tgo` files.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DocumentFilter,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'tgo';
const CLIENT_NAME = 'tgo language server';
// Settings whose change needs a new server process (tgo.trace.server does not:
// vscode-languageclient follows `<id>.trace.server` itself).
const RESTART_SETTINGS = ['tgo.path', 'tgo.gopls.enabled', 'tgo.serveGoFiles'];

let client: LanguageClient | undefined;
// The watcher feeding the client's didChangeWatchedFiles: vscode-languageclient does not
// dispose the watchers given in `synchronize.fileEvents`, so the extension does.
let sourceWatcher: vscode.FileSystemWatcher | undefined;
// The package directories holding `.tgo` files the running client serves `.go` files of.
let goDirs: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  const restart = async (): Promise<void> => {
    await stopClient();
    await startClient(output);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('tgo.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (RESTART_SETTINGS.some((name) => event.affectsConfiguration(name))) {
        await restart();
      }
    }),
  );

  // With tgo.serveGoFiles on, a `.tgo` file created in (or the last one deleted from)
  // a package changes which `.go` files the server must see.
  const tgoFiles = vscode.workspace.createFileSystemWatcher('**/*.tgo');
  const onTgoFilesChanged = async (): Promise<void> => {
    if (!serveGoFiles()) {
      return;
    }
    const dirs = await packageDirsWithTgoFiles();
    if (dirs.join('\n') !== goDirs.join('\n')) {
      await restart();
    }
  };
  tgoFiles.onDidCreate(onTgoFilesChanged);
  tgoFiles.onDidDelete(onTgoFilesChanged);
  context.subscriptions.push(tgoFiles);

  await startClient(output);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('tgo');
}

function serveGoFiles(): boolean {
  return settings().get<boolean>('serveGoFiles', false);
}

// `tgo.path` as a command: `~` and `${workspaceFolder}` expanded, the rest as written
// (a bare name is looked up on PATH when the process starts).
function tgoCommand(): string {
  let command = settings().get<string>('path', 'tgo').trim() || 'tgo';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder !== undefined) {
    command = command.split('${workspaceFolder}').join(folder);
  }
  if (command === '~' || command.startsWith('~/')) {
    command = path.join(os.homedir(), command.slice(1));
  }
  return command;
}

async function packageDirsWithTgoFiles(): Promise<string[]> {
  const files = await vscode.workspace.findFiles('**/*.tgo', '**/{node_modules,vendor,testdata}/**');
  const dirs = new Set(files.filter((uri) => uri.scheme === 'file').map((uri) => path.dirname(uri.fsPath)));
  return [...dirs].sort();
}

// Glob special characters in a directory name are matched literally.
function globEscape(text: string): string {
  return text.replace(/[[\]{}*?]/g, (ch) => `[${ch}]`);
}

async function documentSelector(): Promise<DocumentFilter[]> {
  const selector: DocumentFilter[] = [
    { scheme: 'file', language: 'tgo' },
    { scheme: 'untitled', language: 'tgo' },
  ];
  goDirs = serveGoFiles() ? await packageDirsWithTgoFiles() : [];
  for (const dir of goDirs) {
    const pattern = `${globEscape(dir.split(path.sep).join('/'))}/*.go`;
    selector.push({ scheme: 'file', language: 'go', pattern });
  }
  return selector;
}

async function startClient(output: vscode.LogOutputChannel): Promise<void> {
  const command = tgoCommand();
  // The server's snapshots depend on every source, stub and configuration file.
  sourceWatcher = vscode.workspace.createFileSystemWatcher('**/{*.tgo,*.tgoi,*.go,go.mod,go.sum,go.work,tgo.toml}');
  const serverOptions: ServerOptions = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: await documentSelector(),
    outputChannel: output,
    initializationOptions: {
      gopls: { enabled: settings().get<boolean>('gopls.enabled', true) },
      serveGoFiles: goDirs.length > 0,
    },
    synchronize: { fileEvents: sourceWatcher },
  };
  const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await next.start();
    client = next;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    output.error(`could not start '${command} lsp': ${reason}`);
    void vscode.window.showErrorMessage(
      `tgo: could not start the language server '${command} lsp' (${reason}). ` +
        'Install tgo (pip install tgo-lang) or set "tgo.path"; syntax highlighting works without it.',
    );
    await next.dispose().catch(() => undefined);
    sourceWatcher.dispose();
    sourceWatcher = undefined;
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.dispose().catch(() => undefined);
  }
  sourceWatcher?.dispose();
  sourceWatcher = undefined;
}
