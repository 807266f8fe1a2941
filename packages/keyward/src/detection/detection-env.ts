/** KEYWARD_DETECTION: a JSON object overriding detection settings, e.g. {"windowDays":14,"learningDays":7}. */
import { DEFAULT_DETECTION_CONFIG, type DetectionConfig } from './detection-config.js';

export function parseDetectionConfig(text: string | undefined): Partial<DetectionConfig> {
  if (text === undefined || text.trim() === '') return {};
  const parsed = JSON.parse(text) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('KEYWARD_DETECTION must be a JSON object');
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in DEFAULT_DETECTION_CONFIG)) throw new Error(`KEYWARD_DETECTION: unknown setting ${key}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`KEYWARD_DETECTION: ${key} must be a non-negative number`);
    }
  }
  return parsed as Partial<DetectionConfig>;
}
