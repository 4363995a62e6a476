/**
 * Example 4: page bodies. Each note becomes a row whose page body is the note's markdown
 * (`pageContentMarkdown`): an empty body clears the page, an unchanged one costs no API call.
 */
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { apiGet } from '../api-fetch.js';

const worker = new Worker();
export default worker;

const notes = worker.database('notes', {
  type: 'managed',
  initialTitle: 'Notes',
  primaryKeyProperty: 'Note ID',
  schema: {
    databaseIcon: Builder.notionIcon('document', 'blue'),
    properties: {
      Title: Schema.title(),
      'Note ID': Schema.richText(),
      Source: Schema.url(),
    },
  },
});

worker.sync('notesSync', {
  database: notes,
  schedule: 'manual',
  execute: async () => {
    const { items } = await apiGet<{ items: { id: string; title: string; body: string }[] }>(
      '/notes?limit=100',
    );
    return {
      changes: items.map((n) => ({
        type: 'upsert' as const,
        key: n.id,
        properties: {
          Title: Builder.title(n.title),
          'Note ID': Builder.richText(n.id),
          Source: Builder.link('source', `https://notes.example.com/${n.id}`),
        },
        icon: Builder.emojiIcon('📝'),
        cover: Builder.imageCover('https://images.example.com/cover.png'),
        pageContentMarkdown: n.body,
      })),
      hasMore: false,
    };
  },
});
