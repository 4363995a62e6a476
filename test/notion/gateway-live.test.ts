/** The gateway contract against real Notion: runs only with NOTION_TOKEN and NOTION_TEST_PARENT_PAGE_ID. */
import { describe, it } from 'vitest';
import { parseNotionId } from '../../src/notion/notion-id.js';
import { describeGatewayContract } from './gateway.contract.js';

const token = process.env['NOTION_TOKEN'];
const parent = process.env['NOTION_TEST_PARENT_PAGE_ID'];

if (token !== undefined && token !== '' && parent !== undefined && parent !== '') {
  describeGatewayContract('live Notion', async () => ({
    token,
    baseUrl: undefined,
    parentPageId: parseNotionId(parent),
    stop: async () => {},
  }));
} else {
  describe('gateway contract: live Notion', () => {
    it.skip('needs NOTION_TOKEN and NOTION_TEST_PARENT_PAGE_ID', () => {});
  });
}
