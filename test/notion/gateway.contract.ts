/**
 * The gateway's contract, run against any Notion: the emulator (gateway-emulator.test.ts) and live Notion
 * (gateway-live.test.ts, only when NOTION_TOKEN and NOTION_TEST_PARENT_PAGE_ID are set). Every page it
 * creates is trashed afterwards.
 */
import { isFullBlock, isFullPage } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/notion/create-gateway.js';
import type { NotionGateway } from '../../src/notion/gateway.js';
import { NotionApiError, toNotionSyncError } from '../../src/notion/notion-api-error.js';
import { parseNotionId } from '../../src/notion/notion-id.js';

/** Where the contract runs. */
export interface ContractTarget {
  readonly token: string;
  /** API origin; undefined for api.notion.com. */
  readonly baseUrl: string | undefined;
  /** A page shared with the integration, under which test pages are created. */
  readonly parentPageId: string;
  /** Pacing; undefined for Notion's default (3 req/s). */
  readonly requestsPerSecond?: number;
  /** Stops what `start` started. */
  stop(): Promise<void>;
}

export function describeGatewayContract(label: string, start: () => Promise<ContractTarget>): void {
  describe(`gateway contract: ${label}`, () => {
    let target: ContractTarget;
    let gateway: NotionGateway;
    const created: string[] = [];

    beforeAll(async () => {
      target = await start();
      gateway = createGateway({
        token: target.token,
        ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
        ...(target.requestsPerSecond === undefined ? {} : { requestsPerSecond: target.requestsPerSecond }),
      });
    });

    afterAll(async () => {
      for (const id of created)
        await gateway.client.pages.update({ page_id: id, in_trash: true }).catch(() => {});
      await target.stop();
    });

    async function newPage(title: string): Promise<string> {
      const page = await gateway.client.pages.create({
        parent: { page_id: target.parentPageId },
        properties: { title: { title: [{ text: { content: title } }] } },
      });
      created.push(page.id);
      return page.id;
    }

    it('identifies the integration', async () => {
      const me = await gateway.client.users.me({});
      expect(me.object).toBe('user');
      expect(me.type).toBe('bot');
    });

    it('creates, reads and updates a page; its URL parses back to its id', async () => {
      const id = await newPage('notion-sync gateway contract');
      const page = await gateway.client.pages.retrieve({ page_id: id });
      expect(isFullPage(page)).toBe(true);
      if (!isFullPage(page)) return;
      expect(parseNotionId(page.url)).toBe(id);
      expect(parseNotionId(id.replace(/-/g, '').toUpperCase())).toBe(id);
      await gateway.client.pages.update({
        page_id: id,
        properties: { title: { title: [{ text: { content: 'renamed' } }] } },
      });
      const again = await gateway.client.pages.retrieve({ page_id: id });
      expect(isFullPage(again) && JSON.stringify(again.properties)).toContain('renamed');
    });

    it('appends children and pages through them with the cursor', async () => {
      const id = await newPage('notion-sync pagination contract');
      await gateway.client.blocks.children.append({
        block_id: id,
        children: ['one', 'two', 'three'].map((content) => ({
          paragraph: { rich_text: [{ text: { content } }] },
        })),
      });
      const pages = [];
      for await (const page of gateway.paginate(gateway.client.blocks.children.list, {
        block_id: id,
        page_size: 2,
      })) {
        pages.push(page);
      }
      expect(pages.map((p) => p.results.length)).toEqual([2, 1]);
      expect(pages[0]?.nextCursor).toEqual(expect.any(String));
      const texts = pages
        .flatMap((p) => p.results)
        .map((b) =>
          isFullBlock(b) && b.type === 'paragraph' ? b.paragraph.rich_text[0]?.plain_text : undefined,
        );
      expect(texts).toEqual(['one', 'two', 'three']);
    });

    it('turns a missing page into a NotionApiError that says to share it', async () => {
      const error = await gateway.client.pages
        .retrieve({ page_id: '00000000-0000-4000-8000-000000000000' })
        .catch((e: unknown) => e);
      const converted = toNotionSyncError(error);
      expect(converted).toBeInstanceOf(NotionApiError);
      expect(converted).toMatchObject({ status: 404, notionCode: 'object_not_found' });
      expect((converted as NotionApiError).hint).toContain('share');
    });

    it('counted every call', () => {
      const m = gateway.metrics.snapshot();
      expect(m.endpoints['pages.create']?.calls).toBeGreaterThanOrEqual(2);
      expect(m.endpoints['blocks.children.list']?.calls).toBe(2);
      expect(m.total.attempts).toBeGreaterThanOrEqual(m.total.calls);
    });
  });
}
