import type { Client, PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

async function twoSources(notion: Client, root: string) {
  const people = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('People'),
    initial_data_source: { properties: { Name: { title: {} }, Age: { number: {} } } },
  });
  const peopleDs = ('data_sources' in people && people.data_sources[0]!.id) as string;
  const projects = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Projects'),
    initial_data_source: {
      properties: {
        Name: { title: {} },
        Members: { relation: { data_source_id: peopleDs, type: 'dual_property', dual_property: {} } },
      },
    },
  });
  const projectsDs = ('data_sources' in projects && projects.data_sources[0]!.id) as string;
  return { peopleDs, projectsDs };
}

describe('relations', () => {
  it('keeps dual relations in sync on both sides and creates the synced property', async () => {
    const { notion, root } = await emulatorClient();
    const { peopleDs, projectsDs } = await twoSources(notion, root);
    const schema = await notion.dataSources.retrieve({ data_source_id: peopleDs });
    if (!('title' in schema)) throw new Error('partial');
    const synced = Object.values(schema.properties).find((p) => p.type === 'relation')!;
    expect(synced.name).toBe('Related to Projects (Members)');
    const projSchema = await notion.dataSources.retrieve({ data_source_id: projectsDs });
    if (!('title' in projSchema)) throw new Error('partial');
    const members = projSchema.properties.Members!;
    expect(members.type === 'relation' && members.relation).toMatchObject({
      data_source_id: peopleDs,
      type: 'dual_property',
      dual_property: { synced_property_id: synced.id, synced_property_name: synced.name },
    });
    const ann = await notion.pages.create({
      parent: { data_source_id: peopleDs },
      properties: { Name: { title: text('Ann') } },
    });
    const bob = await notion.pages.create({
      parent: { data_source_id: peopleDs },
      properties: { Name: { title: text('Bob') } },
    });
    const proj = await notion.pages.create({
      parent: { data_source_id: projectsDs },
      properties: { Name: { title: text('P') }, Members: { relation: [{ id: ann.id }, { id: bob.id }] } },
    });
    const annPage = (await notion.pages.retrieve({ page_id: ann.id })) as PageObjectResponse;
    expect(annPage.properties[synced.name]).toMatchObject({ relation: [{ id: proj.id }] });
    await notion.pages.update({ page_id: proj.id, properties: { Members: { relation: [{ id: bob.id }] } } });
    expect(
      ((await notion.pages.retrieve({ page_id: ann.id })) as PageObjectResponse).properties[synced.name],
    ).toMatchObject({ relation: [] });
    expect(
      ((await notion.pages.retrieve({ page_id: bob.id })) as PageObjectResponse).properties[synced.name],
    ).toMatchObject({ relation: [{ id: proj.id }] });
    // Writing the other side updates the first.
    await notion.pages.update({
      page_id: ann.id,
      properties: { [synced.name]: { relation: [{ id: proj.id }] } },
    });
    const p = (await notion.pages.retrieve({ page_id: proj.id })) as PageObjectResponse;
    const ids = (p.properties.Members as { relation: { id: string }[] }).relation.map((r) => r.id).sort();
    expect(ids).toEqual([ann.id, bob.id].sort());
  });

  it('truncates relations at 25 in page objects and pages the full list through the property item endpoint', async () => {
    const { notion, root } = await emulatorClient();
    const { peopleDs, projectsDs } = await twoSources(notion, root);
    await notion.dataSources.update({
      data_source_id: projectsDs,
      properties: {
        'Member count': {
          rollup: { relation_property_name: 'Members', rollup_property_name: 'Age', function: 'count' },
        },
        'Total age': {
          rollup: { relation_property_name: 'Members', rollup_property_name: 'Age', function: 'sum' },
        },
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await notion.pages.create({
        parent: { data_source_id: peopleDs },
        properties: { Name: { title: text(`p${i}`) }, Age: { number: i } },
      });
      ids.push(p.id);
    }
    const proj = (await notion.pages.create({
      parent: { data_source_id: projectsDs },
      properties: { Name: { title: text('Big') }, Members: { relation: ids.map((id) => ({ id })) } },
    })) as PageObjectResponse;
    const rel = proj.properties.Members as unknown as { relation: { id: string }[]; has_more: boolean };
    expect(rel.relation).toHaveLength(25);
    expect(rel.has_more).toBe(true);
    expect(proj.properties['Member count']).toMatchObject({
      rollup: { type: 'number', number: 30, function: 'count' },
    });
    expect(proj.properties['Total age']).toMatchObject({ rollup: { type: 'number', number: (29 * 30) / 2 } });
    const membersId = proj.properties.Members!.id;
    const first = await notion.pages.properties.retrieve({
      page_id: proj.id,
      property_id: membersId,
      page_size: 20,
    });
    if (first.object !== 'list') throw new Error('expected a list');
    expect(first.results).toHaveLength(20);
    expect(first.has_more).toBe(true);
    expect(first.property_item).toMatchObject({ id: membersId, type: 'relation' });
    const second = await notion.pages.properties.retrieve({
      page_id: proj.id,
      property_id: membersId,
      page_size: 20,
      start_cursor: first.next_cursor!,
    });
    if (second.object !== 'list') throw new Error('expected a list');
    expect(second.results).toHaveLength(10);
    expect(second.next_cursor).toBeNull();
    const all = [...first.results, ...second.results].map(
      (r) => (r as { relation: { id: string } }).relation.id,
    );
    expect(all).toEqual(ids);
    // Rollups in query results follow edits of the related pages (no stale cached rows).
    const before = await notion.dataSources.query({ data_source_id: projectsDs });
    expect((before.results[0] as PageObjectResponse).properties['Total age']).toMatchObject({
      rollup: { number: 435 },
    });
    await notion.pages.update({ page_id: ids[0]!, properties: { Age: { number: 100 } } });
    const after = await notion.dataSources.query({ data_source_id: projectsDs });
    expect((after.results[0] as PageObjectResponse).properties['Total age']).toMatchObject({
      rollup: { number: 535 },
    });
    // Scalar properties come back as one property_item.
    const titleItem = await notion.pages.properties.retrieve({ page_id: proj.id, property_id: 'title' });
    expect(titleItem.object).toBe('list');
    const num = await notion.pages.properties.retrieve({ page_id: ids[3]!, property_id: 'Age' });
    expect(num).toMatchObject({ object: 'property_item', type: 'number', number: 3 });
  });
});
