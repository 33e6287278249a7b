const { installWx } = require('../helpers/wx-mock');
const { mount, allText, tap } = require('../helpers/mount');

beforeEach(() => installWx());

const state = (props) => mount('components/page-state/page-state', props);

test('loading, empty with hint, error with retry, nothing when ready', async () => {
  expect(allText(state({ state: 'loading' }))).toContain('加载中');
  const empty = state({ state: 'empty', emptyText: '暂无候补', emptyHint: '去课程页加入候补' });
  expect(allText(empty)).toBe('○暂无候补去课程页加入候补');
  const error = state({ state: 'error', errorText: '网络不给力，请检查网络后重试' });
  expect(allText(error)).toContain('网络不给力');
  const onRetry = jest.fn();
  error.addEventListener('retry', onRetry);
  await tap(error, '.retry');
  expect(onRetry).toHaveBeenCalledTimes(1);
  expect(allText(state({ state: 'ready' }))).toBe('');
  expect(empty.querySelector('.empty-action')).toBeUndefined();
  const withAction = state({ state: 'empty', emptyText: '暂无', actionText: '去看看课程' });
  const onAction = jest.fn();
  withAction.addEventListener('action', onAction);
  await tap(withAction, '.empty-action');
  expect(onAction).toHaveBeenCalledTimes(1);
});
