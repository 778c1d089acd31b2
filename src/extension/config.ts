/** Typed reads of the settings in settings.ts; the only place that calls getConfiguration. */
import * as vscode from 'vscode';
import { checkSetting } from '../core/settingValues';
import { SETTINGS_SECTION, type SettingKey, type SettingValue } from '../core/settings';

/** Problems already shown, so a wrong value read on every refresh is reported once per window. */
const reported = new Set<string>();

/**
 * The setting's value, checked against its declared shape: a wrong type or choice falls back to the
 * default (or drops the wrong part) and says so once, naming the setting.
 */
export function readSetting<K extends SettingKey>(key: K): SettingValue<K> {
  const raw = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(key);
  const checked = checkSetting(key, raw);
  if (checked.problem && !reported.has(checked.problem)) {
    reported.add(checked.problem);
    void vscode.window.showWarningMessage(checked.problem, 'Open Setting').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.${key}`);
    });
  }
  return checked.value;
}

export function affects(event: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
