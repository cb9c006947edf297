// The lessons' strings in the page's language.
import type { Lang } from './index';
import { lessonsEn, type LessonStrings } from './lessons-en';
import { lessonsJa } from './lessons-ja';

export function lessonStrings(lang: Lang): LessonStrings {
  return lang === 'ja' ? lessonsJa : lessonsEn;
}
