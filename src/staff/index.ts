/** Outlet staff's tools: takedowns and new staff-written articles. */
export { takedown, appendTakedowns, type TakedownResult } from './takedown.ts';
export { scaffoldArticle, writeScaffold, type Scaffold } from './scaffold.ts';
export { scanArticles, matchArticles, type ArticleEntry } from './scan.ts';
