/** Typed reads of the settings in settings.ts; the only place that calls getConfiguration. */
import * as vscode from 'vscode';
import { SETTINGS, SETTINGS_SECTION, type SettingKey, type SettingValue } from '../core/settings';

export function readSetting<K extends SettingKey>(key: K): SettingValue<K> {
  const fallback = SETTINGS[key] as SettingValue<K>;
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<SettingValue<K>>(key, fallback);
}

export function affects(event: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
