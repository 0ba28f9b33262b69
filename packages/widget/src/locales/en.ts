/**
 * @module English strings, the widget's default and the shape every translation follows. `{name}`-style
 * placeholders are filled by {@link format}.
 */

/** English strings. */
export const en = {
  title: 'Chat',
  greeting: 'How can I help you today?',
  placeholder: 'Write a message',
  messages: 'Messages',
  you: 'You',
  assistant: 'Assistant',
  send: 'Send',
  stop: 'Stop',
  stopped: 'Stopped',
  incomplete: 'Incomplete',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
  code: 'Code',
  task: 'Task',
  good: 'Good response',
  bad: 'Bad response',
  attach: 'Attach files',
  remove: 'Remove {name}',
  uploadFailed: '{name} could not be uploaded',
  tooLarge: '{name} is larger than {size}',
  badType: '{name} is not a file type this chat accepts',
  tooMany: 'At most {count} files per message',
  drop: 'Drop files to attach them',
  record: 'Dictate',
  stopRecording: 'Stop dictation',
  transcribing: 'Transcribing…',
  dictationFailed: 'Dictation did not work.',
  history: 'Conversations',
  newThread: 'New conversation',
  rename: 'Rename',
  renameTo: 'New title',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  untitled: 'Untitled conversation',
  more: 'Show more',
  open: 'Open chat',
  close: 'Close chat',
  dismiss: 'Dismiss',
  connecting: 'Connecting…',
  connectError: 'The chat service could not be reached.',
  error: 'Something went wrong. Please try again.',
  toolRunning: 'Running {name}…',
  toolDone: 'Ran {name}',
  submit: 'Submit',
  skip: 'Skip',
  steps: 'Steps',
  thoughtFor: 'Thought for {count} s',
  sources: 'Sources',
  unsupported: 'This part of the answer cannot be shown ({type}).',
  loading: 'Loading…',
  model: 'Model',
  tool: 'Tool',
  noTool: 'No tool',
  commands: 'Commands',
} as const;

/** Every string the widget shows; each translation provides all of them. */
export type Strings = { readonly [K in keyof typeof en]: string };

/** Fills `{name}` placeholders in a string. */
export const format = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, key: string) => String(values[key] ?? all));
