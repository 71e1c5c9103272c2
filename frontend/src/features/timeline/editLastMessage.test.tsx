import { render, screen } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { me, meRef, message } from '../../test/fixtures';
import { editLastMessage, lastEditableMessage } from './editLastMessage';
import { MessageList } from './MessageList';

describe('editing one’s last message from the keyboard', () => {
  const messages = [
    message(1, { author: meRef, text: 'first' }),
    message(2, { author: meRef, text: 'second' }),
    message(3, { author: meRef, text: '', deleted: true }),
    message(4, { text: 'from Sam' }),
  ];

  it('picks the newest own message that is not deleted', () => {
    expect(lastEditableMessage(messages, me.id)?.seq).toBe(2);
    expect(lastEditableMessage([message(1)], me.id)).toBeUndefined();
  });

  it('opens that message’s edit form with its text', () => {
    render(
      <MessageList
        roomId="r-general"
        roomName="general"
        me={me}
        messages={messages}
        pending={[]}
        loaded
        hasMore={false}
        loadingOlder={false}
        resolveUrl={(path) => path}
        onEdit={vi.fn(async () => true)}
        onDelete={vi.fn()}
        onRetry={vi.fn()}
        onDiscard={vi.fn()}
        onOpenImage={vi.fn()}
        onLoadOlder={vi.fn()}
      />,
    );
    let opened = false;
    act(() => {
      opened = editLastMessage(messages, me.id);
    });
    expect(opened).toBe(true);
    const form = screen.getByRole('textbox', { name: 'Edit text' });
    expect(form).toHaveValue('second');
    expect(form).toHaveFocus();
  });
});
