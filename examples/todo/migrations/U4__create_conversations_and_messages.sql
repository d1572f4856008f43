-- U4: undo V4 (conversations and messages).
--
-- Drops both tables and their indexes; every chat history is lost.
DROP TABLE messages;
DROP TABLE conversations;
