import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from "react";

/** How near the bottom (in pixels) still counts as "at the newest line": a wheel rarely lands exactly. */
const SLACK = 24;

/**
 * Issue 14: a followed log keeps its newest line in view, like `tail -f`, until the
 * person scrolls up to read; then it stays where they are (new lines still arrive) and
 * `pinned` is false, so the view can offer a way back. `count` changes when lines arrive.
 */
export function useStickToBottom(box: RefObject<HTMLElement | null>, count: number): { pinned: boolean; jumpToNewest: () => void; onScroll: () => void } {
	const [pinned, setPinned] = useState(true);
	const pinnedRef = useRef(true);
	const setBoth = useCallback((value: boolean) => {
		pinnedRef.current = value;
		setPinned(value);
	}, []);

	// Given to the box's onScroll: the box may appear after this hook first ran (it waits for the first lines).
	const onScroll = useCallback(() => {
		const element = box.current;
		if (!element) return;
		const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK;
		if (atBottom !== pinnedRef.current) setBoth(atBottom);
	}, [box, setBoth]);

	// Before paint: the person never sees the list jump.
	useLayoutEffect(() => {
		const element = box.current;
		if (element && pinnedRef.current && count > 0) element.scrollTop = element.scrollHeight;
	}, [box, count]);

	const jumpToNewest = useCallback(() => {
		const element = box.current;
		if (element) element.scrollTop = element.scrollHeight;
		setBoth(true);
	}, [box, setBoth]);

	return { pinned, jumpToNewest, onScroll };
}
