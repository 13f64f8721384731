// The page objects of the workbench, one per part a spec drives. They are built on the helpers of
// ../workbench-ui.mjs; the specs speak only through them.
import { Dialog } from './dialog.mjs';
import { RequestEditor } from './editor.mjs';
import { Notifications } from './notifications.mjs';
import { Terminal } from './terminal.mjs';
import { TestingView } from './testingView.mjs';
import { AwaitedReplies, MessagesView } from './views.mjs';
import { Walkthrough } from './walkthrough.mjs';
import { Workbench } from './workbench.mjs';

export { AwaitedReplies, Dialog, MessagesView, Notifications, RequestEditor, Terminal, TestingView, Walkthrough, Workbench };

/** Every page object, on one page. */
export function pagesOf(page) {
  return {
    workbench: new Workbench(page),
    messages: new MessagesView(page),
    watches: new AwaitedReplies(page),
    notifications: new Notifications(page),
    dialog: new Dialog(page),
    editor: new RequestEditor(page),
    terminal: new Terminal(page),
    testing: new TestingView(page),
    walkthrough: new Walkthrough(page),
  };
}
