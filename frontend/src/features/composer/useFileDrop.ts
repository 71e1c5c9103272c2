import { type DragEvent, useRef, useState } from 'react';

const hasFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');

/**
 * Files dropped anywhere on an element: its drag handlers, and whether files are being dragged
 * over it. Drags of anything but files (text, links) are left alone.
 */
export function useFileDrop(onDrop: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  // Entering a child fires dragenter before the parent's dragleave: the depth says when the drag really left.
  const depth = useRef(0);

  const handlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      onDrop([...event.dataTransfer.files]);
    },
  };
  return { dragging, handlers };
}
